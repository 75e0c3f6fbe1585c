using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Payments.ApiFrontend.Requests;

namespace Payments.ApiFrontend.OpenApi;

/// <summary>
/// The paging query parameters as shared components: every list takes <c>limit</c> (1–100, default 20) and, to go on,
/// <c>startingAfter</c> (the id of the previous page's last item), and answers <c>{data, hasMore}</c>.
/// </summary>
public static class PagingParameters
{
    public const string Limit = "limit";
    public const string StartingAfter = "startingAfter";

    /// <summary>Operation transformer: the operation's own <c>limit</c> and <c>startingAfter</c> become references to the shared ones.</summary>
    public static Task DocumentAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (operation.Parameters is not { Count: > 0 } parameters)
        {
            return Task.CompletedTask;
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i] is { In: ParameterLocation.Query, Name: Limit or StartingAfter } parameter)
            {
                parameters[i] = new OpenApiParameterReference(parameter.Name!, context.Document);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The shared parameters, for the document's components.</summary>
    public static Dictionary<string, IOpenApiParameter> Components() => new()
    {
        [Limit] = new OpenApiParameter
        {
            Name = Limit,
            In = ParameterLocation.Query,
            Description = $"How many items to return, {1}–{PageLimit.Max}.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = PageLimit.Max.ToString(System.Globalization.CultureInfo.InvariantCulture), Default = PageLimit.Default },
        },
        [StartingAfter] = new OpenApiParameter
        {
            Name = StartingAfter,
            In = ParameterLocation.Query,
            Description = "The id of the last item of the previous page; absent for the first page. A page with `hasMore: true` has a next one.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };
}
