using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Payments.Grains.Ledger;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>What operators watch: the Orleans Dashboard, Prometheus metrics and the cluster view, all behind the operator token.</summary>
public sealed class OperatorEndpointsTests() : ApiTest("operator")
{
    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/ClusterStats")]
    [InlineData("/metrics")]
    public async Task Only_the_operator_token_opens_the_dashboard_and_the_metrics(string path)
    {
        var user = await Api.SignUpAsync("operator_curious");

        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, path, null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, path, user.Token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, path, InProcessSilo.AdminToken + "x")).Status);
        var opened = await Api.SendAsync(HttpMethod.Get, path, InProcessSilo.AdminToken);
        Assert.True(opened.Status == HttpStatusCode.OK, $"{path}: {(int)opened.Status} {opened.Body}");
        Assert.NotEmpty(opened.Body);
    }

    [Fact]
    public async Task Metrics_are_Prometheus_text_with_Orleans_and_ledger_series()
    {
        var alice = await Api.SignUpAsync("metrics_alice", deposit: 5_000);
        var bob = await Api.SignUpAsync("metrics_bob");
        var sent = await Api.TransferAsync(alice.Token, bob.Id, 1_234, "metrics-1");
        Assert.True(sent.Status == HttpStatusCode.Created, sent.Body);

        // The exporter caches a scrape for a moment, and instruments appear in it once they have recorded something.
        HttpResponseMessage? scrape = null;
        var body = "";
        await Eventually.TrueAsync(async () =>
        {
            scrape?.Dispose();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Authorization = new("Bearer", InProcessSilo.AdminToken);
            scrape = await Api.Http.SendAsync(request);
            body = await scrape.Content.ReadAsStringAsync();
            return scrape.StatusCode == HttpStatusCode.OK && body.Contains("ledger_entries", StringComparison.Ordinal) && body.Contains("ledger_batch_size", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15), "the ledger's instruments show in a scrape");

        using (scrape)
        {
            Assert.Equal("text/plain", scrape!.Content.Headers.ContentType?.MediaType);
        }

        var samples = body.Split('\n').Where(line => line.Length > 0 && line[0] != '#').ToList();
        // Orleans' meter (Microsoft.Orleans): instrument names with '-' and '.' become '_'.
        Assert.Contains(samples, line => line.StartsWith("orleans_", StringComparison.Ordinal) && line.Contains("otel_scope_name=\"Microsoft.Orleans\"", StringComparison.Ordinal));
        // The ledger's meter: the counter gains _total, the histograms their buckets, the duration its unit.
        var ledger = samples.Where(line => line.Contains($"otel_scope_name=\"{LedgerMetrics.MeterName}\"", StringComparison.Ordinal)).ToList();
        Assert.Contains(ledger, line => line.StartsWith("ledger_entries_total{", StringComparison.Ordinal) && line.Contains("committed", StringComparison.Ordinal));
        Assert.Contains(ledger, line => line.StartsWith("ledger_batch_size_bucket{", StringComparison.Ordinal));
        Assert.Contains(ledger, line => line.StartsWith("ledger_batch_duration_milliseconds_bucket{", StringComparison.Ordinal));
        Assert.All(samples, line => Assert.Matches(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+( \d+)?$", line));
    }

    [Fact]
    public async Task The_cluster_view_lists_this_silo_as_active_with_its_activations()
    {
        await Api.SignUpAsync("cluster_viewer", deposit: 100);
        var self = Silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

        var cluster = await Api.SendAsync(HttpMethod.Get, "/v1/admin/cluster", InProcessSilo.AdminToken);

        Assert.True(cluster.Status == HttpStatusCode.OK, cluster.Body);
        var silo = Assert.Single(cluster.Json["silos"]!.AsArray())!;
        Assert.Equal(self.Endpoint.ToString(), silo["address"]!.GetValue<string>());
        Assert.Equal(self.Generation, silo["generation"]!.GetValue<long>());
        Assert.Equal("active", silo["status"]!.GetValue<string>());
        // The user's wallet, session and idempotency grains at least, beside Orleans' own.
        Assert.True(silo["activations"]!.GetValue<int>() >= 3, cluster.Body);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/admin/cluster", (await Api.SignUpAsync("cluster_user")).Token)).Status);
    }
}
