using System.Runtime.CompilerServices;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// A stopped silo leaves nothing behind in its process: its service provider becomes unreachable. A host kept alive
/// by a framework timer (see ReleasedRateLimiter) cost each test's silo ~80 MB and ran the test process out of memory.
/// </summary>
public sealed class HostReleaseTests
{
    [Fact]
    public async Task A_stopped_silo_that_served_requests_is_collected()
    {
        var connection = await TestPostgres.CreateDatabaseAsync("hostrelease");
        var services = await ServeOneRequestAndStopAsync(connection);

        // Orleans may hold a stopping silo for a short grace period (e.g. closing connections to dead silos); allow 30 s.
        for (var attempt = 0; attempt < 60 && services.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.False(services.IsAlive, "the stopped silo's service provider is still reachable");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> ServeOneRequestAndStopAsync(string connection)
    {
        var silo = await InProcessSilo.StartAsync(connection);
        var services = new WeakReference(silo.Services);
        using (var http = silo.CreateClient())
        {
            var response = await http.GetAsync(new Uri("/v1/users/me", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await silo.DisposeAsync();
        return services;
    }
}
