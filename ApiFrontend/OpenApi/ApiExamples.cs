using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Payments.ApiFrontend.Apis;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Feed;
using Payments.Grains.Interfaces.Friends;
using Payments.Grains.Interfaces.Ledger;
using Payments.Grains.Interfaces.Notifications;
using Payments.Grains.Interfaces.Payouts;
using Payments.Grains.Interfaces.Requests;
using Payments.Grains.Interfaces.Transfers;
using Payments.Grains.Interfaces.Users;
using Payments.Grains.Interfaces.Wallets;
using Payments.Infrastructure.Hosting;
using Payments.Infrastructure.Streams;

namespace Payments.ApiFrontend.OpenApi;

/// <summary>
/// Examples for the document's schemas, from the README's curl tour (alice pays bob 25.00 for pizza after depositing
/// 100.00). A test reads each through its type, so an example that no longer matches its type fails the build's tests.
/// </summary>
public static class ApiExamples
{
    private const string Alice = "0193a4f2-6c1d-7e0a-9b3c-5d2e8f4a1b60";
    private const string Bob = "0193a4f2-7a42-7b13-8c5d-1e9f0a2b3c71";
    private const string Transfer = "0193a4f3-1f08-7d2c-a4e6-3b7c9d0e1f82";
    private const string Deposit = "0193a4f3-0b55-7c91-8f2d-6a4b3c2d1e93";

    /// <summary>The example of each type, as JSON.</summary>
    public static IReadOnlyDictionary<Type, string> All { get; } = WithComposites(new Dictionary<Type, string>
    {
        [typeof(CreateUserRequest)] = """{"username":"alice","displayName":"Alice","password":"correct horse battery"}""",
        [typeof(CreateSessionRequest)] = """{"username":"alice","password":"correct horse battery"}""",
        [typeof(UpdateUserRequest)] = """{"defaultVisibility":"friends"}""",
        [typeof(MovementRequest)] = """{"amount":10000}""",
        [typeof(CreateTransferRequest)] = """{"to":"bob","amount":2500,"currency":"USD","note":"pizza","visibility":"friends"}""",
        [typeof(CreatePaymentRequestRequest)] = """{"from":"bob","amount":1250,"note":"half the taxi"}""",
        [typeof(CreateFriendRequestRequest)] = """{"username":"bob"}""",
        [typeof(CreateCommentRequest)] = """{"text":"🍕 was great"}""",
        [typeof(UserProfile)] = $$"""{"id":"{{Alice}}","username":"alice","displayName":"Alice"}""",
        [typeof(SessionGrant)] = $$"""{"token":"q3Vx8bG1mK9sT2nR8wY5zZ3cD6fH0jL1pA4eC7uN2tW","userId":"{{Alice}}"}""",
        [typeof(CurrentUserView)] = $$"""{"id":"{{Alice}}","username":"alice","displayName":"Alice","defaultVisibility":"friends"}""",
        [typeof(WalletView)] = """{"balance":7500,"available":7500,"held":0,"currency":"USD","status":"active"}""",
        [typeof(MovementReceipt)] = $$"""{"transactionId":"{{Deposit}}","balance":10000}""",
        [typeof(TransferView)] = $$"""{"id":"{{Transfer}}","from":"{{Alice}}","to":"{{Bob}}","amount":2500,"currency":"USD","note":"pizza","visibility":"friends","status":"completed","createdAt":"2026-12-03T18:04:11.532+00:00"}""",
        [typeof(TransferReceipt)] = $$"""{"transfer":{"id":"{{Transfer}}","from":"{{Alice}}","to":"{{Bob}}","amount":2500,"currency":"USD","note":"pizza","visibility":"friends","status":"completed","createdAt":"2026-12-03T18:04:11.532+00:00"},"balance":7500}""",
        [typeof(HistoryEntry)] = $$"""{"id":"{{Transfer}}","type":"transfer_out","amount":-2500,"balanceAfter":7500,"counterparty":"{{Bob}}","createdAt":"2026-12-03T18:04:11.532+00:00"}""",
        [typeof(PaymentRequestView)] = $$"""{"id":"0193a4f4-2c19-7a3e-b5f7-4c8d0e1f2a93","requester":"{{Alice}}","requestee":"{{Bob}}","amount":1250,"currency":"USD","note":"half the taxi","status":"pending","createdAt":"2026-12-03T18:06:40.118+00:00","expiresAt":"2027-01-02T18:06:40.118+00:00"}""",
        [typeof(FriendRequestView)] = $$"""{"id":"0193a4f4-3d2a-7b4f-86a8-5d9e1f2a3b04","from":{"id":"{{Alice}}","username":"alice","displayName":"Alice"},"to":{"id":"{{Bob}}","username":"bob","displayName":"Bob"},"status":"pending","createdAt":"2026-12-03T18:07:02.441+00:00"}""",
        [typeof(FriendView)] = $$"""{"id":"{{Bob}}","username":"bob","displayName":"Bob","since":"2026-12-03T18:07:30.905+00:00"}""",
        [typeof(FeedItemView)] = $$"""{"transferId":"{{Transfer}}","from":{"id":"{{Alice}}","username":"alice","displayName":"Alice"},"to":{"id":"{{Bob}}","username":"bob","displayName":"Bob"},"amount":2500,"currency":"USD","note":"pizza","visibility":"friends","createdAt":"2026-12-03T18:04:11.532+00:00","likeCount":1,"commentCount":1,"likedByMe":true}""",
        [typeof(LikeSummary)] = $$"""{"transferId":"{{Transfer}}","likeCount":1,"likedByMe":true}""",
        [typeof(FeedComment)] = $$"""{"id":"0193a4f5-4e3b-7c50-97b9-6eaf2a3b4c15","transferId":"{{Transfer}}","author":{"id":"{{Bob}}","username":"bob","displayName":"Bob"},"text":"🍕 was great","createdAt":"2026-12-03T18:08:15.271+00:00"}""",
        [typeof(NotificationMessage)] = $$"""{"id":"0193a4f3-1f0b-8e4d-9a1b-2c3d4e5f6a7b","type":"payment_received","data":{"id":"{{Transfer}}","from":"{{Alice}}","to":"{{Bob}}","amount":2500,"currency":"USD","note":"pizza","visibility":"friends","status":"completed","createdAt":"2026-12-03T18:04:11.532+00:00"},"createdAt":"2026-12-03T18:04:11.541+00:00"}""",
        [typeof(LedgerAuditReport)] = """{"balanced":true,"currencies":[{"currency":"USD","sum":0,"walletTotal":10000,"systemTotal":-10000,"merchantTotal":0}],"accounts":3,"transactions":2,"postings":4,"unbalancedTransactions":[],"accountsNotMatchingPostings":[],"accountsNotMatchingHolds":[],"negativeWallets":[],"orphans":[],"checkedAt":"2026-12-03T18:09:00.25+00:00"}""",
        [typeof(PendingPayouts)] = $$"""{"count":1,"totals":[{"currency":"USD","count":1,"amount":2000}],"oldest":[{"transactionId":"0193a4f6-5f4c-7d61-a8ca-7fb03b4c5d26","userId":"{{Bob}}","amount":2000,"currency":"USD","attempts":2,"lastError":"the bank did not answer in time","requestedAt":"2026-12-03T18:10:00.75+00:00"}]}""",
    });

    /// <summary>Lists and wrappers: their items' examples in their shape.</summary>
    private static Dictionary<Type, string> WithComposites(Dictionary<Type, string> examples)
    {
        const string PaidTransfer = "0193a4f6-1a2b-7c3d-8e4f-5a6b7c8d9e0f";
        examples[typeof(HistoryPage)] = Page(examples[typeof(HistoryEntry)]);
        examples[typeof(PaymentRequestPage)] = Page(examples[typeof(PaymentRequestView)]);
        examples[typeof(FriendPage)] = Page(examples[typeof(FriendView)]);
        examples[typeof(FriendRequestPage)] = Page(examples[typeof(FriendRequestView)]);
        examples[typeof(FeedPage)] = Page(examples[typeof(FeedItemView)]);
        examples[typeof(CommentPage)] = Page(examples[typeof(FeedComment)]);
        examples[typeof(NotificationPage)] = Page(examples[typeof(NotificationMessage)]);
        examples[typeof(PayReceipt)] =
            $$"""{"request":{"id":"0193a4f4-2c19-7a3e-b5f7-4c8d0e1f2a93","requester":"{{Alice}}","requestee":"{{Bob}}","amount":1250,"currency":"USD","note":"half the taxi","status":"paid","createdAt":"2026-12-03T18:06:40.118+00:00","expiresAt":"2027-01-02T18:06:40.118+00:00","transferId":"{{PaidTransfer}}"},"transfer":{"id":"{{PaidTransfer}}","from":"{{Bob}}","to":"{{Alice}}","amount":1250,"currency":"USD","note":"half the taxi","visibility":"friends","status":"completed","createdAt":"2026-12-03T18:11:05.317+00:00"},"balance":1250}""";
        examples[typeof(CurrencyTotal)] = """{"currency":"USD","sum":0,"walletTotal":10000,"systemTotal":-10000,"merchantTotal":0}""";
        examples[typeof(PendingPayoutTotal)] = """{"currency":"USD","count":1,"amount":2000}""";
        examples[typeof(PendingPayout)] =
            $$"""{"transactionId":"0193a4f6-5f4c-7d61-a8ca-7fb03b4c5d26","userId":"{{Bob}}","amount":2000,"currency":"USD","attempts":2,"lastError":"the bank did not answer in time","requestedAt":"2026-12-03T18:10:00.75+00:00"}""";
        examples[typeof(SiloView)] = """{"address":"S127.0.0.1:11111:471002541","generation":471002541,"status":"active","startedAt":"2026-12-03T17:55:41.207+00:00","lastHeartbeat":"2026-12-03T18:09:12.803+00:00","activations":412}""";
        examples[typeof(ClusterView)] = $$"""{"silos":[{{examples[typeof(SiloView)]}}]}""";
        examples[typeof(StreamDeadLetter)] =
            $$"""{"id":7,"consumer":"transfer-feed","grain":"transfer-feed/{{Bob}}","eventId":"0193a4f3-1f0b-8e4d-9a1b-2c3d4e5f6a7b","streamNamespace":"transfers","streamKey":"{{Bob}}","position":1042,"type":"TransferCompleted","payload":{"id":"{{Transfer}}"},"attempts":5,"error":"Npgsql.PostgresException: 57P01: terminating connection due to administrator command","failedAt":"2026-12-03T18:12:44.09+00:00"}""";
        examples[typeof(DeadLetterPage)] = Page(examples[typeof(StreamDeadLetter)]);
        examples[typeof(HealthCheckView)] = """{"status":"Healthy"}""";
        examples[typeof(HealthReportView)] = """{"status":"Healthy","checks":{"postgres":{"status":"Healthy"},"silo":{"status":"Healthy"}}}""";
        MerchantExamples.AddTo(examples, Page);
        return examples;
    }

    private static string Page(string item) => $$"""{"data":[{{item}}],"hasMore":false}""";

    /// <summary>Schema transformer: the example of the schema's type, when there is one.</summary>
    public static Task DocumentAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (All.TryGetValue(context.JsonTypeInfo.Type, out var example))
        {
            schema.Examples = [JsonNode.Parse(example)!];
        }

        return Task.CompletedTask;
    }
}
