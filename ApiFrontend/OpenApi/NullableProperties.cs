using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Payments.ApiFrontend.OpenApi;

/// <summary>
/// Schema transformer: what "nullable" means on the wire. Responses leave null properties out, so a nullable property
/// is optional rather than required-but-null. A request property marked <see cref="RequiredAttribute"/> is required
/// and not nullable: its C# type is nullable only so that a missing value becomes a clear VALIDATION_ERROR naming the
/// field instead of a binding failure.
/// </summary>
public static class NullableProperties
{
    public static Task DocumentAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        // Also for a type first met as another type's property: its schema is the one the document keeps.
        if (schema.Properties is not { Count: > 0 } properties)
        {
            return Task.CompletedTask;
        }

        foreach (var property in context.JsonTypeInfo.Properties)
        {
            if (!properties.TryGetValue(property.Name, out var propertySchema) || propertySchema is not OpenApiSchema nullable)
            {
                continue;
            }

            // A nullable object is "oneOf: [null, $ref]"; a nullable value has "null" among its types.
            var nullableObject = nullable.OneOf is { Count: 2 } alternatives && alternatives.Any(IsNull) ? alternatives.First(alternative => !IsNull(alternative)) : null;
            if (nullableObject is null && nullable.Type?.HasFlag(JsonSchemaType.Null) != true)
            {
                continue;
            }

            if (property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true)
            {
                if (nullableObject is not null)
                {
                    properties[property.Name] = nullableObject;
                }
                else
                {
                    nullable.Type &= ~JsonSchemaType.Null;
                }
            }
            else
            {
                schema.Required?.Remove(property.Name);
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsNull(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };
}
