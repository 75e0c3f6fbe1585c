using System.Net;
using System.Text.Json.Nodes;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Requests;
using Xunit;

namespace Payments.Tests;

/// <summary>Payment requests over real HTTP: creation, listing, the lifecycle, and paying exactly once.</summary>
public sealed class PaymentRequestTests() : ApiTest("requests")
{
    [Fact]
    public async Task A_request_is_created_listed_for_both_parties_and_closed_only_by_the_right_party()
    {
        var (requesterId, requester) = await Api.SignUpAsync("req_a1");
        var (requesteeId, requestee) = await Api.SignUpAsync("req_b1");
        var (_, stranger) = await Api.SignUpAsync("req_c1");

        var created = await CreateAsync(requester, "req_b1", 1_250, "lunch");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var request = created.Json;
        Assert.Equal(requesterId, request["requester"]!.GetValue<string>());
        Assert.Equal(requesteeId, request["requestee"]!.GetValue<string>());
        Assert.Equal(1_250, request["amount"]!.GetValue<long>());
        Assert.Equal("lunch", request["note"]!.GetValue<string>());
        Assert.Equal("pending", request["status"]!.GetValue<string>());
        var createdAt = request["createdAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(TimeSpan.FromDays(30), request["expiresAt"]!.GetValue<DateTimeOffset>() - createdAt);
        var id = request["id"]!.GetValue<string>();

        Assert.Equal([id], await ListIdsAsync(requestee, "received"));
        Assert.Equal([id], await ListIdsAsync(requester, "sent"));
        Assert.Empty(await ListIdsAsync(requester, "received"));
        Assert.Empty(await ListIdsAsync(stranger, "received"));

        // Only the requestee declines, only the requester cancels; anyone else is told it does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await ActAsync(stranger, id, "decline")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ActAsync(requester, id, "decline")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ActAsync(requestee, id, "cancel")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", requester, null, "pay-by-requester")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", stranger, null, "pay-by-stranger")).Status);

        var declined = await ActAsync(requestee, id, "decline");
        Assert.Equal(HttpStatusCode.OK, declined.Status);
        Assert.Equal("declined", declined.Json["status"]!.GetValue<string>());

        // Closed: nothing more can happen to it.
        foreach (var (token, action) in new[] { (requestee, "decline"), (requester, "cancel") })
        {
            var again = await ActAsync(token, id, action);
            Assert.Equal(HttpStatusCode.Conflict, again.Status);
            Assert.Equal("REQUEST_NOT_PENDING", again.Code);
        }

        var pay = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", requestee, null, "pay-declined");
        Assert.Equal(HttpStatusCode.Conflict, pay.Status);
        Assert.Equal("REQUEST_NOT_PENDING", pay.Code);

        var second = (await CreateAsync(requester, requesteeId, 10, "")).Json["id"]!.GetValue<string>();
        var cancelled = await ActAsync(requester, second, "cancel");
        Assert.Equal("cancelled", cancelled.Json["status"]!.GetValue<string>());
        Assert.Equal([second], await ListIdsAsync(requester, "sent", "cancelled"));
        Assert.Equal([id], await ListIdsAsync(requestee, "received", "declined"));
        Assert.Equal([second, id], await ListIdsAsync(requestee, "received"));
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_json_errors_and_create_nothing()
    {
        var (requesterId, requester) = await Api.SignUpAsync("req_a2");
        await Api.SignUpAsync("req_b2");

        var cases = new (object Body, HttpStatusCode Status, string Code, string Field)[]
        {
            (new { from = "req_b2", amount = 0, note = "" }, HttpStatusCode.BadRequest, "INVALID_AMOUNT", "amount"),
            (new { from = "req_b2", amount = 500_001, note = "" }, HttpStatusCode.BadRequest, "INVALID_AMOUNT", "amount"),
            (new { from = "req_b2", amount = 100, note = new string('x', 281) }, HttpStatusCode.BadRequest, "VALIDATION_ERROR", "note"),
            (new { from = "no such user!", amount = 100, note = "" }, HttpStatusCode.BadRequest, "VALIDATION_ERROR", "from"),
            (new { from = "req_nobody", amount = 100, note = "" }, HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND", "from"),
            (new { from = requesterId, amount = 100, note = "" }, HttpStatusCode.UnprocessableEntity, "INVALID_RECIPIENT", "from"),
        };
        foreach (var (body, status, code, field) in cases)
        {
            var response = await Api.SendAsync(HttpMethod.Post, "/v1/requests", requester, body);
            Assert.True(response.Status == status, response.Body);
            Assert.Equal(code, response.Code);
            Assert.Equal(field, response.Json["field"]?.GetValue<string>());
        }

        Assert.Empty(await ListIdsAsync(requester, "sent"));
        var badRole = await Api.SendAsync(HttpMethod.Get, "/v1/requests?role=both", requester);
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR"), (badRole.Status, badRole.Code));
        var badLimit = await Api.SendAsync(HttpMethod.Get, "/v1/requests?limit=101", requester);
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR"), (badLimit.Status, badLimit.Code));
        var malformed = await Api.SendAsync(HttpMethod.Post, "/v1/requests/not-an-id/pay", requester, null, "k1");
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (malformed.Status, malformed.Code));
        var noKey = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{Guid.CreateVersion7()}/pay", requester);
        Assert.Equal((HttpStatusCode.BadRequest, "IDEMPOTENCY_KEY_REQUIRED"), (noKey.Status, noKey.Code));
    }

    [Fact]
    public async Task Creating_with_an_idempotency_key_creates_one_request()
    {
        var (_, requester) = await Api.SignUpAsync("req_a3");
        await Api.SignUpAsync("req_b3");

        var first = await Api.SendAsync(HttpMethod.Post, "/v1/requests", requester, new { from = "req_b3", amount = 700, note = "rent" }, "create-1");
        var repeat = await Api.SendAsync(HttpMethod.Post, "/v1/requests", requester, new { from = "req_b3", amount = 700, note = "rent" }, "create-1");
        var reused = await Api.SendAsync(HttpMethod.Post, "/v1/requests", requester, new { from = "req_b3", amount = 701, note = "rent" }, "create-1");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal((first.Status, first.Body), (repeat.Status, repeat.Body));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED"), (reused.Status, reused.Code));
        Assert.Equal([first.Json["id"]!.GetValue<string>()], await ListIdsAsync(requester, "sent"));
    }

    [Fact]
    public async Task A_creation_run_again_under_a_recorded_key_saves_no_second_request()
    {
        var (requesterId, requester) = await Api.SignUpAsync("req_a4");
        var (requesteeId, _) = await Api.SignUpAsync("req_b4");
        var command = new CreatePaymentRequestCommand(requesterId, requesteeId, 900, "tickets");
        var stamp = new IdempotencyStamp(requesterId, "create-twice", "hash-1");

        // What a retry does once the first idempotency activation is gone: the creation runs again, under a new request id.
        var first = await Silo.GrainFactory.GetGrain<IPaymentRequestGrain>(SocialId.New()).Create(command, stamp);
        var again = await Silo.GrainFactory.GetGrain<IPaymentRequestGrain>(SocialId.New()).Create(command, stamp);

        Assert.Equal((201, first.Response.Body, "hash-1"), (again.Response.Status, again.Response.Body, again.RecordedHash));
        var id = JsonNode.Parse(first.Response.Body)!["id"]!.GetValue<string>();
        Assert.Equal([id], await ListIdsAsync(requester, "sent"));
    }

    [Fact]
    public async Task Paying_moves_the_money_once_and_insufficient_funds_leave_the_request_pending()
    {
        var (requesterId, requester) = await Api.SignUpAsync("req_a4");
        var (requesteeId, requestee) = await Api.SignUpAsync("req_b4", deposit: 1_000);
        var id = (await CreateAsync(requester, "req_b4", 3_000, "concert")).Json["id"]!.GetValue<string>();

        var poor = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", requestee, null, "pay-1");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS"), (poor.Status, poor.Code));
        Assert.Equal([id], await ListIdsAsync(requestee, "received", "pending"));

        var deposit = await Api.SendAsync(HttpMethod.Post, "/v1/wallet/deposits", requestee, new { amount = 5_000 }, "top-up");
        Assert.Equal(HttpStatusCode.Created, deposit.Status);
        var paid = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", requestee, null, "pay-2");
        Assert.True(paid.Status == HttpStatusCode.Created, paid.Body);
        Assert.Equal("paid", paid.Json["request"]!["status"]!.GetValue<string>());
        var transfer = paid.Json["transfer"]!;
        Assert.Equal((requesteeId, requesterId, 3_000L, "concert"),
            (transfer["from"]!.GetValue<string>(), transfer["to"]!.GetValue<string>(), transfer["amount"]!.GetValue<long>(), transfer["note"]!.GetValue<string>()));
        Assert.Equal(transfer["id"]!.GetValue<string>(), paid.Json["request"]!["transferId"]!.GetValue<string>());
        Assert.Equal(3_000, paid.Json["balance"]!.GetValue<long>());

        // The same key answers the same; another key finds the request paid.
        var repeat = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", requestee, null, "pay-2");
        Assert.Equal((paid.Status, paid.Body), (repeat.Status, repeat.Body));
        var again = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", requestee, null, "pay-3");
        Assert.Equal((HttpStatusCode.Conflict, "REQUEST_NOT_PENDING"), (again.Status, again.Code));

        await AssertPaidOnceAsync(requester, requestee, transfer["id"]!.GetValue<string>(), 3_000);
        Assert.Equal(3_000, (await Api.WalletAsync(requestee))["balance"]!.GetValue<long>());
    }

    [Fact]
    public async Task Concurrent_payments_with_the_same_and_different_keys_make_exactly_one_transfer()
    {
        var (_, requester) = await Api.SignUpAsync("req_a5");
        var (_, requestee) = await Api.SignUpAsync("req_b5", deposit: 100_000);
        var id = (await CreateAsync(requester, "req_b5", 4_000, "split")).Json["id"]!.GetValue<string>();

        var keys = Enumerable.Range(0, 24).Select(i => $"race-{i % 8}").ToArray();
        var responses = await Task.WhenAll(keys.Select(key => Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", requestee, null, key)));

        var created = responses.Where(response => response.Status == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(created);
        Assert.Single(created.Select(response => response.Json["transfer"]!["id"]!.GetValue<string>()).Distinct());
        Assert.All(responses.Where(response => response.Status != HttpStatusCode.Created), response => Assert.Equal("REQUEST_NOT_PENDING", response.Code));

        // Every key answered one way, whatever order the repeats of a key arrived in.
        foreach (var group in keys.Zip(responses).GroupBy(pair => pair.First, pair => pair.Second))
        {
            Assert.Single(group.Select(response => response.Body).Distinct());
        }

        await AssertPaidOnceAsync(requester, requestee, created[0].Json["transfer"]!["id"]!.GetValue<string>(), 4_000);
        Assert.Equal(96_000, (await Api.WalletAsync(requestee))["balance"]!.GetValue<long>());
        var audit = await Api.AuditAsync(TestSupport.InProcessSilo.AdminToken);
        Assert.True(audit["balanced"]!.GetValue<bool>(), audit.ToJsonString());
    }

    private async Task AssertPaidOnceAsync(string requester, string requestee, string transferId, long amount)
    {
        var sent = (await Api.HistoryAsync(requestee)).Where(entry => entry["type"]!.GetValue<string>() == "transfer_out").ToList();
        var received = (await Api.HistoryAsync(requester)).Where(entry => entry["type"]!.GetValue<string>() == "transfer_in").ToList();
        Assert.Equal([(transferId, -amount)], sent.Select(entry => (entry["id"]!.GetValue<string>(), entry["amount"]!.GetValue<long>())));
        Assert.Equal([(transferId, amount)], received.Select(entry => (entry["id"]!.GetValue<string>(), entry["amount"]!.GetValue<long>())));
    }

    private Task<ApiClient.Response> CreateAsync(string token, string from, long amount, string note) =>
        Api.SendAsync(HttpMethod.Post, "/v1/requests", token, new { from, amount, note });

    private Task<ApiClient.Response> ActAsync(string token, string id, string action) =>
        Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/{action}", token);

    private async Task<List<string>> ListIdsAsync(string token, string role, string? status = null)
    {
        var response = await Api.SendAsync(HttpMethod.Get, $"/v1/requests?role={role}&limit=100{(status is null ? "" : $"&status={status}")}", token);
        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        Assert.False(response.Json["hasMore"]!.GetValue<bool>());
        return response.Json["data"]!.AsArray().Select(item => item!["id"]!.GetValue<string>()).ToList();
    }
}
