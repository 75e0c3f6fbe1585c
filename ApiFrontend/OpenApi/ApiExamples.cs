using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
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
    public static IReadOnlyDictionary<Type, string> All { get; } = new Dictionary<Type, string>
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
        [typeof(LedgerAuditReport)] = """{"balanced":true,"currencies":[{"currency":"USD","sum":0,"walletTotal":10000,"systemTotal":-10000}],"accounts":3,"transactions":2,"postings":4,"unbalancedTransactions":[],"accountsNotMatchingPostings":[],"negativeWallets":[],"orphans":[],"checkedAt":"2026-12-03T18:09:00.25+00:00"}""",
        [typeof(PendingPayouts)] = $$"""{"count":1,"totals":[{"currency":"USD","count":1,"amount":2000}],"oldest":[{"transactionId":"0193a4f6-5f4c-7d61-a8ca-7fb03b4c5d26","userId":"{{Bob}}","amount":2000,"currency":"USD","attempts":2,"lastError":"the bank did not answer in time","requestedAt":"2026-12-03T18:10:00.75+00:00"}]}""",
    };

    /// <summary>Schema transformer: the example of the schema's type, when there is one.</summary>
    public static Task DocumentAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonPropertyInfo is null && All.TryGetValue(context.JsonTypeInfo.Type, out var example))
        {
            schema.Examples = [JsonNode.Parse(example)!];
        }

        return Task.CompletedTask;
    }
}
