using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Payments.ApiFrontend.WebApp;

/// <summary>
/// Serves the web app at <c>/</c>, same origin as the API: its hashed assets (cached for good), and index.html for
/// every other GET that no endpoint takes (the app's own routes: /wallet, /merchant/…), with a strict
/// Content-Security-Policy and the usual security headers. API paths that match nothing stay JSON 404s.
/// </summary>
public static partial class WebAppHosting
{
    // No inline script or style, nothing from another origin, no framing; connect-src 'self' covers the same-origin WebSocket.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly string[] s_apiPrefixes = ["/v1", "/openapi", "/docs", "/health", "/metrics", "/dashboard"];

    public static WebApplication UseWebApp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var root = app.Services.GetRequiredService<IOptions<WebAppOptions>>().Value.Root;
        var index = Path.Combine(root, "index.html");
        if (!File.Exists(index))
        {
            LogMissing(app.Logger, root);
            return app;
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        var contentTypes = new FileExtensionContentTypeProvider();

        // The app is served where routing found no endpoint, after routing and before authentication: a GET (HEAD
        // is routed as GET, see HeadRequests) for its assets or its own routes. An API path is never the app's: it
        // goes on to a 404, or to the 405 routing chose for a path that exists with other methods. (A fallback
        // endpoint would have taken that GET from routing's 405.)
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (context.GetEndpoint() is not null || !HttpMethods.IsGet(context.Request.Method) || IsApiPath(path))
            {
                await next(context);
                return;
            }

            var file = Path.HasExtension(path.Value) ? files.GetFileInfo(path.Value!) : files.GetFileInfo("index.html");
            if (!file.Exists || file.IsDirectory || !contentTypes.TryGetContentType(file.Name, out var contentType))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            AddSecurityHeaders(context.Response);

            // Vite names assets by content hash: a changed file is a new name, so they may be kept for good.
            context.Response.Headers.CacheControl = path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache";
            context.Response.ContentType = contentType;
            context.Response.ContentLength = file.Length;
            await context.Response.SendFileAsync(file);
        });
        return app;
    }

    private static bool IsApiPath(PathString path) => s_apiPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    private static void AddSecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }

    [LoggerMessage(1, LogLevel.Warning, "The web app is not built (no index.html under {Root}); only the API is served. Build with Node.js 20+ on PATH.")]
    private static partial void LogMissing(ILogger logger, string root);
}
