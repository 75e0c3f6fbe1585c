using Microsoft.AspNetCore.Http;

namespace Payments.ApiFrontend.Requests;

/// <summary>
/// HEAD is GET without the body (RFC 9110, 9.3.2): every resource that answers GET answers HEAD with the same status
/// and headers. Endpoint routing matches a method only where the endpoint lists it, and the API's endpoints list GET
/// alone, so a HEAD found no endpoint (404, as if the resource did not exist). The request is routed, authorized and
/// answered as the GET it stands for; Kestrel, which parsed it as HEAD, sends the headers and no body. The method is
/// HEAD again on the way out, so the request log says what the client sent.
/// </summary>
public sealed class HeadRequests(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        context.Request.Method = HttpMethods.Get;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Method = HttpMethods.Head;
        }
    }
}
