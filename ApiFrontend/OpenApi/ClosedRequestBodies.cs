using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Payments.ApiFrontend.Requests;

namespace Payments.ApiFrontend.OpenApi;

/// <summary>
/// Schema transformer: a request body's objects declare <c>additionalProperties: false</c>, because
/// <see cref="JsonBody"/> refuses a property a request does not have. Dictionaries (metadata) keep their own schema.
/// </summary>
public static class ClosedRequestBodies
{
    public static Task DocumentAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object
            && context.JsonTypeInfo.Type.Namespace == typeof(JsonBody).Namespace)
        {
            schema.AdditionalPropertiesAllowed = false;
        }

        return Task.CompletedTask;
    }
}
