using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Payments.ApiFrontend.RateLimiting;

/// <summary>
/// The framework's rate limiting middleware, cut loose from the rest of the pipeline once the application has stopped.
/// The middleware never disposes the endpoint limiter it creates (dotnet/aspnetcore#66434); that limiter's timer keeps
/// the middleware reachable for the life of the process, and through its next delegate the whole pipeline and the
/// application's service provider: every stopped host (a silo restarted in process, each test's host) would stay in memory.
/// </summary>
public static class ReleasedRateLimiter
{
    public static IApplicationBuilder UseRateLimiterReleasedOnStop(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRateLimiter();
        var lifetime = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>();
        return app.Use(next =>
        {
            var rest = new PipelineRest(next);
            lifetime.ApplicationStopped.Register(rest.Release);
            return rest.InvokeAsync;
        });
    }

    private sealed class PipelineRest(RequestDelegate next)
    {
        private RequestDelegate? _next = next;

        public void Release() => Volatile.Write(ref _next, null);

        public Task InvokeAsync(HttpContext context)
        {
            if (Volatile.Read(ref _next) is { } next)
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        }
    }
}
