using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Payments.Silo.Commands;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// Bank statements against what the project sent the bank: a crafted statement gives each kind of line exactly once,
/// the report is stored and listed, the CLI prints the same, and malformed statements are 400s naming line and field.
/// </summary>
public sealed class ReconciliationTests() : ApiTest("reconcile")
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(30);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:Settlement:Delay"] = "00:00:00",
        ["Payments:Settlement:CommitMargin"] = "00:00:01",
    };

    [Fact]
    public async Task A_crafted_statement_gives_one_match_one_missing_in_bank_one_missing_internally_and_one_amount_mismatch()
    {
        // Two withdrawals and a merchant payout, all confirmed by the bank today.
        var (_, token) = await Api.SignUpAsync("recon_user", deposit: 10_000);
        var listedWithdrawal = await WithdrawAsync(token, 3_000, "recon-1");
        var unlistedWithdrawal = await WithdrawAsync(token, 2_000, "recon-2");
        var merchants = new MerchantClient(Api);
        var (_, merchantId, key) = await merchants.MerchantAsync("recon_shop");
        Assert.Equal(HttpStatusCode.Created, (await merchants.PayAsync(key, 8_000, Guid.NewGuid().ToString())).Status);
        JsonNode? payout = null;
        await Eventually.TrueAsync(async () => (payout = (await Api.SendAsync(HttpMethod.Post, $"/v1/admin/merchants/{merchantId}/settlements", InProcessSilo.AdminToken)).Json["payout"]) is not null, s_within, "the capture settles");
        Assert.Equal("paid", payout!["status"]!.GetValue<string>());
        var payoutId = payout["id"]!.GetValue<string>();
        var payoutAmount = payout["amount"]!.GetValue<long>();
        await Eventually.TrueAsync(async () => (await Api.SendAsync(HttpMethod.Get, "/v1/admin/payouts/pending", InProcessSilo.AdminToken)).Json["count"]!.GetValue<long>() == 0, s_within, "the withdrawals are paid out");

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var unknown = "po_" + new string('0', 32);
        var statement = new StringBuilder("date,reference,amount,currency\n")
            .Append(FormattableString.Invariant($"{today},{listedWithdrawal.ToUpperInvariant()},-3000,USD\n"))
            .Append(FormattableString.Invariant($"{today},\"{payoutId}\",{payoutAmount + 1},USD\r\n"))
            .Append(FormattableString.Invariant($"{today},{unknown},500,USD\n"))
            .ToString();

        using var discrepancies = new DiscrepancyCounter();
        var reconciled = await Api.SendRawAsync(HttpMethod.Post, "/v1/admin/reconciliation", InProcessSilo.AdminToken, statement, contentType: "text/csv");
        Assert.True(reconciled.Status == HttpStatusCode.Created, reconciled.Body);
        var report = reconciled.Json;
        Assert.Equal((1, 1, 1, 1), Summary(report));
        Assert.Equal((listedWithdrawal, "withdrawal"), Item(report, "matched"));
        Assert.Equal((unlistedWithdrawal, "withdrawal"), Item(report, "missingInBank"));
        Assert.Equal((unknown, (string?)null), Item(report, "missingInternally"));
        Assert.Equal((payoutId, "merchant_payout"), Item(report, "amountMismatch"));
        Assert.Equal((payoutAmount, payoutAmount + 1, 3), (report["amountMismatch"]![0]!["amount"]!.GetValue<long>(), report["amountMismatch"]![0]!["bankAmount"]!.GetValue<long>(), report["amountMismatch"]![0]!["line"]!.GetValue<int>()));
        Assert.Equal(3, discrepancies.Total);

        // Stored: listed with its summary, and readable whole.
        var id = report["id"]!.GetValue<string>();
        var listed = await Api.SendAsync(HttpMethod.Get, "/v1/admin/reconciliation", InProcessSilo.AdminToken);
        Assert.Equal((id, (1, 1, 1, 1)), (listed.Json["data"]![0]!["id"]!.GetValue<string>(), Summary(listed.Json["data"]![0]!)));
        Assert.Equal(report.ToJsonString(), (await Api.SendAsync(HttpMethod.Get, $"/v1/admin/reconciliation/{id}", InProcessSilo.AdminToken)).Json.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Get, "/v1/admin/reconciliation/rec_nonsense", InProcessSilo.AdminToken)).Status);

        // The CLI against the same database: the same findings as a table, exit code 3 for discrepancies, and a second stored report.
        var file = Path.Combine(Path.GetTempPath(), $"statement-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, statement);
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Payments"] = Silo.ConnectionString }).Build();
            using var output = new StringWriter();
            Assert.Equal(3, await ReconcileCommand.RunAsync([file], configuration, NullLoggerFactory.Instance, output));
            var printed = output.ToString();
            Assert.Contains("matched 1, missing_in_bank 1, missing_internally 1, amount_mismatch 1", printed, StringComparison.Ordinal);
            Assert.Contains(unknown, printed, StringComparison.Ordinal);
            Assert.Contains(unlistedWithdrawal, printed, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal(2, (await Api.SendAsync(HttpMethod.Get, "/v1/admin/reconciliation", InProcessSilo.AdminToken)).Json["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_malformed_statement_is_a_400_naming_its_line_and_field_and_stores_nothing()
    {
        const string Header = "date,reference,amount,currency\n";
        foreach (var (body, line, field) in new (byte[] Body, int Line, string? Field)[]
        {
            (Encoding.UTF8.GetBytes("day,ref,amount,currency\n2026-12-01,po_1,100,USD\n"), 1, "header"),
            (Encoding.UTF8.GetBytes(Header + "2026-12-01,po_1,100,USD\n2026-12-01,po_2,12.50,USD\n"), 3, "amount"),
            (Encoding.UTF8.GetBytes(Header + "2026-13-01,po_1,100,USD\n"), 2, "date"),
            (Encoding.UTF8.GetBytes(Header + "9999-12-31,po_1,100,USD\n"), 2, "date"),
            (Encoding.UTF8.GetBytes(Header + "2026-12-01,po_1,100,usd\n"), 2, "currency"),
            (Encoding.UTF8.GetBytes(Header + "2026-12-01,po_1,100\n"), 2, null),
            (Encoding.UTF8.GetBytes(Header + "2026-12-01," + new string('x', 2_000) + ",100,USD\n"), 2, null),
            ([.. Encoding.UTF8.GetBytes(Header + "2026-12-01,po_"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(",100,USD\n")], 2, "reference"),
        })
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/reconciliation") { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", InProcessSilo.AdminToken);
            using var response = await Api.Http.SendAsync(request);
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", line, field), (response.StatusCode, error["code"]!.GetValue<string>(), error["line"]!.GetValue<int>(), error["field"]?.GetValue<string>()));
            Assert.StartsWith($"Line {line}:", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var json = await Api.SendRawAsync(HttpMethod.Post, "/v1/admin/reconciliation", InProcessSilo.AdminToken, Header, contentType: "application/json");
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE"), (json.Status, json.Code));
        var unauthorized = await Api.SendRawAsync(HttpMethod.Post, "/v1/admin/reconciliation", null, Header, contentType: "text/csv");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.Status);
        Assert.Empty((await Api.SendAsync(HttpMethod.Get, "/v1/admin/reconciliation", InProcessSilo.AdminToken)).Json["data"]!.AsArray());
    }

    private async Task<string> WithdrawAsync(string token, long amount, string idempotencyKey)
    {
        var withdrawal = await Api.SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", token, new { amount }, idempotencyKey);
        Assert.True(withdrawal.Status == HttpStatusCode.Created, withdrawal.Body);
        return withdrawal.Json["transactionId"]!.GetValue<string>();
    }

    private static (int, int, int, int) Summary(JsonNode report)
    {
        var summary = report["summary"]!;
        return (summary["matched"]!.GetValue<int>(), summary["missingInBank"]!.GetValue<int>(), summary["missingInternally"]!.GetValue<int>(), summary["amountMismatch"]!.GetValue<int>());
    }

    private static (string Reference, string? Kind) Item(JsonNode report, string list)
    {
        var item = Assert.Single(report[list]!.AsArray())!;
        return (item["reference"]!.GetValue<string>(), item["kind"]?.GetValue<string>());
    }

    /// <summary>Listens to the reconciliation discrepancy counter of this process (the in-process silo's).</summary>
    private sealed class DiscrepancyCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public DiscrepancyCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Payments.Reconciliation" && instrument.Name == "reconciliation.discrepancies")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
