using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;

namespace Payments.ApiFrontend.Requests;

/// <summary>
/// A query parameter an API endpoint does not take is a 400 naming it, as a body property is (<see cref="JsonBody"/>):
/// a misspelt filter (<c>?stauts=failed</c>, <c>?customer_reference=</c>) would otherwise be ignored and the list
/// answered unfiltered. An endpoint's names are its handler's <see cref="FromQueryAttribute"/> parameters (and
/// <see cref="BearerToken.QueryParameter"/> where the endpoint takes the token there), read once per endpoint. Only
/// <c>/v1</c> is checked: the reference, the document and the web app's files take what their own code reads.
/// </summary>
public sealed class QueryParameterNames(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<Endpoint, FrozenSet<string>?> s_names = new();

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.QueryString.HasValue || !context.Request.Path.StartsWithSegments("/v1")
            || context.GetEndpoint() is not { } endpoint || s_names.GetOrAdd(endpoint, NamesOf) is not { } names)
        {
            return next(context);
        }

        foreach (var name in context.Request.Query.Keys)
        {
            if (!names.Contains(name))
            {
                return ApiResults.WriteAsync(context, QueryStringValidation.MayRepeat(name)
                    ? ApiError.Validation(name, $"{name} is not a query parameter of this endpoint: check its spelling against the API reference.")
                    : new ApiError(Grains.Interfaces.Errors.ErrorCodes.ValidationError, "The query string has a parameter this endpoint does not take."));
            }
        }

        return next(context);
    }

    /// <summary>The names an endpoint takes, or null for an endpoint without a handler method to read them from.</summary>
    public static FrozenSet<string>? NamesOf(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            return null;
        }

        var names = handler.GetParameters()
            .Select(parameter => (Parameter: parameter, Query: parameter.GetCustomAttribute<FromQueryAttribute>()))
            .Where(bound => bound.Query is not null)
            .Select(bound => bound.Query!.Name ?? bound.Parameter.Name!)
            .ToList();
        if (endpoint.Metadata.Contains(BearerToken.QueryTokenAllowed))
        {
            names.Add(BearerToken.QueryParameter);
        }

        return names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
