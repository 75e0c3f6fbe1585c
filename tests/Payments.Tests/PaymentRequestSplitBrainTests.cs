using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Payments.Grains.Interfaces.Notifications;
using Payments.Grains.Interfaces.Requests;
using Payments.Grains.Requests;
using Payments.Grains.SocialNotifications;
using Payments.Infrastructure.Streams;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>Two activations of one payment request (a split brain: two clusters on one database) still pay it once.</summary>
public sealed class PaymentRequestSplitBrainTests
{
    [Fact]
    public async Task Two_activations_paying_one_request_make_exactly_one_transfer()
    {
        var database = await TestPostgres.CreateDatabaseAsync("request-split");
        await using var first = await InProcessSilo.StartAsync(database, new Dictionary<string, string?> { ["Payments:Cluster:ClusterId"] = "split-a" });
        await using var second = await InProcessSilo.StartAsync(database, new Dictionary<string, string?> { ["Payments:Cluster:ClusterId"] = "split-b" });
        using var httpOne = first.CreateClient();
        using var httpTwo = second.CreateClient();
        var one = new ApiClient(httpOne);
        var two = new ApiClient(httpTwo);
        var (_, requester) = await one.SignUpAsync("split_requester");
        var (_, payer) = await one.SignUpAsync("split_payer", deposit: 50_000);
        var created = await one.SendAsync(HttpMethod.Post, "/v1/requests", requester, new { from = "split_payer", amount = 9_000, note = "split" });
        var id = created.Json["id"]!.GetValue<string>();

        // Each side activates the request, the payer's idempotency grains and wallet for itself.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).SelectMany(i => new[]
        {
            Task.Run(() => one.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", payer, null, $"one-{i}")),
            Task.Run(() => two.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", payer, null, $"two-{i}")),
        }));

        var paid = attempts.Where(response => response.Status == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(paid);
        Assert.Single(paid.Select(response => response.Json["transfer"]!["id"]!.GetValue<string>()).Distinct());
        Assert.All(attempts.Except(paid), response => Assert.Equal("REQUEST_NOT_PENDING", response.Code));
        var transfersOut = (await one.HistoryAsync(payer)).Count(entry => entry["type"]!.GetValue<string>() == "transfer_out");
        var transfersIn = (await two.HistoryAsync(requester)).Count(entry => entry["type"]!.GetValue<string>() == "transfer_in");
        Assert.Equal((1, 1), (transfersOut, transfersIn));
        Assert.Equal(41_000, (await two.WalletAsync(payer))["balance"]!.GetValue<long>());
        Assert.True((await one.AuditAsync(InProcessSilo.AdminToken))["balanced"]!.GetValue<bool>());
    }

    /// <summary>
    /// The interleaving the race above cannot force: one activation's send is in flight, the other's is refused at
    /// admission and puts the request back to pending, then the first's transfer commits. The transfer under the
    /// request's stamp is the truth, so marking the request paid succeeds from pending (or any state but paid), and
    /// only for that transfer.
    /// </summary>
    [Fact]
    public async Task A_committed_transfer_marks_its_request_paid_though_another_activation_put_it_back_to_pending()
    {
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("request-repaid"));
        using var http = silo.CreateClient();
        var api = new ApiClient(http);
        var (_, requester) = await api.SignUpAsync("repaid_requester");
        await api.SignUpAsync("repaid_payer");
        var created = await api.SendAsync(HttpMethod.Post, "/v1/requests", requester, new { from = "repaid_payer", amount = 500, note = "lunch" });
        var id = Guid.Parse(created.Json["id"]!.GetValue<string>());
        var store = silo.Services.GetRequiredService<PaymentRequestStore>();
        var now = DateTimeOffset.UtcNow;
        static OutboxMessage PaidNotice(PaymentRequestView view) => SocialNotification.For(view.Requester, NotificationTypes.RequestPaid, view);

        Assert.NotNull(await store.TransitionAsync(id, [PaymentRequestStatus.Pending], PaymentRequestStatus.Paying, now));
        Assert.NotNull(await store.TransitionAsync(id, [PaymentRequestStatus.Paying], PaymentRequestStatus.Pending, now));

        var transfer = Guid.CreateVersion7();
        var paid = await store.MarkPaidAsync(id, transfer, now, PaidNotice);
        Assert.Equal((PaymentRequestStatus.Paid, transfer.ToString("D")), (paid?.View.Status, paid?.View.TransferId));

        // A repeat for the same transfer finds it paid by it; another transfer cannot claim it.
        Assert.Equal(transfer.ToString("D"), (await store.MarkPaidAsync(id, transfer, now, PaidNotice))?.View.TransferId);
        Assert.Null(await store.MarkPaidAsync(id, Guid.CreateVersion7(), now, PaidNotice));
        Assert.Equal(transfer.ToString("D"), (await store.GetAsync(id))?.View.TransferId);
    }
}
