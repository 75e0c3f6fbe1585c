using System.Net;
using Payments.Infrastructure.Postgres;
using Payments.Infrastructure.Tests.Infrastructure;
using Payments.TestSupport;
using Xunit;

namespace Payments.Infrastructure.Tests;

/// <summary>The Silo executable on its embedded default: starts PostgreSQL, serves health, stops cleanly on SIGTERM.</summary>
public sealed class SiloProcessTests
{
    [Fact]
    public async Task The_silo_starts_its_own_postgres_reports_ready_and_stops_everything_on_sigterm()
    {
        using var workspace = new SiloWorkspace("silo-process-");
        await using var silo = workspace.StartSilo();
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));

        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await http.GetStringAsync("/health/ready");
        Assert.Contains("\"postgres\":{\"status\":\"Healthy\"", ready);
        Assert.Contains("\"silo\":{\"status\":\"Healthy\"", ready);
        Assert.True(File.Exists(Path.Combine(workspace.ClusterDirectory, "postmaster.pid")), "The embedded server runs under the configured data directory.");

        Assert.Equal(0, await silo.TerminateAsync(TimeSpan.FromSeconds(60)));
        Assert.False(File.Exists(Path.Combine(workspace.ClusterDirectory, "postmaster.pid")), $"PostgreSQL is stopped with the silo.\n{silo.Output}");
        Assert.Contains("Stopped PostgreSQL", silo.Output);
    }

    [Fact]
    public async Task Readiness_fails_while_postgres_is_down_and_liveness_does_not()
    {
        using var workspace = new SiloWorkspace("silo-ready-");
        await using var silo = workspace.StartSilo();
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));

        var pgCtl = Path.Combine(PostgresBinaries.Find(), "pg_ctl");
        var runAs = Environment.IsPrivilegedProcess ? "postgres" : null;
        await Postgres.CommandRunner.RunCheckedAsync(pgCtl, ["stop", "-D", workspace.ClusterDirectory, "-m", "immediate", "-w"], runAs, TimeSpan.FromSeconds(60), CancellationToken.None);

        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        await Eventually.TrueAsync(
            async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(30), "readiness reports PostgreSQL down");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

        // Not SIGTERM: with its database gone, Orleans keeps retrying the silo's membership row updates (ShuttingDown,
        // Stopping, Dead) until each lifecycle stage times out, and a graceful stop took two minutes.
        await silo.KillAsync();
    }
}
