using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>No user reads or moves another user's money; revoked tokens stop at once; operator endpoints need the operator token.</summary>
public sealed class AuthorizationTests() : ApiTest("authz")
{
    [Fact]
    public async Task Users_see_only_their_own_money()
    {
        var alice = await Api.SignUpAsync("authz_alice", deposit: 10_000);
        var bob = await Api.SignUpAsync("authz_bob", deposit: 10_000);
        var eve = await Api.SignUpAsync("authz_eve", deposit: 10_000);
        var sent = await Api.TransferAsync(alice.Token, bob.Id, 1_000, "a-to-b", "rent");
        var transferId = sent.Json["transfer"]!["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, $"/v1/transfers/{transferId}", alice.Token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, $"/v1/transfers/{transferId}", bob.Token)).Status);
        var snooping = await Api.SendAsync(HttpMethod.Get, $"/v1/transfers/{transferId}", eve.Token);
        Assert.Equal(HttpStatusCode.NotFound, snooping.Status);
        Assert.Equal("NOT_FOUND", snooping.Code);

        // The wallet endpoints act on the caller's wallet only; there is no way to name another's.
        Assert.Equal(9_000, (await Api.WalletAsync(alice.Token))["balance"]!.GetValue<long>());
        Assert.Equal(10_000, (await Api.WalletAsync(eve.Token))["balance"]!.GetValue<long>());

        // Operator endpoints are closed to users, and to a wrong operator token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/admin/ledger/audit", eve.Token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Post, $"/v1/admin/wallets/{alice.Id}/freeze", "wrong-operator-token")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/wallet", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/wallet", "not-a-real-token")).Status);
        Assert.Equal(9_000, (await Api.WalletAsync(alice.Token))["balance"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_revoked_token_stops_working_at_once()
    {
        var carol = await Api.SignUpAsync("authz_carol", deposit: 1_000);
        var other = await Api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username = "authz_carol", password = "correct horse battery" });
        var otherToken = other.Json["token"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(HttpMethod.Delete, "/v1/sessions/current", carol.Token)).Status);
        var afterLogout = await Api.SendAsync(HttpMethod.Get, "/v1/wallet", carol.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.Status);
        Assert.Equal("UNAUTHENTICATED", afterLogout.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.TransferAsync(carol.Token, Guid.NewGuid().ToString(), 10, "after-logout")).Status);

        // Other sessions of the same user are separate.
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/v1/wallet", otherToken)).Status);
    }

    [Fact]
    public async Task Wrong_passwords_and_unknown_users_get_the_same_answer()
    {
        await Api.SignUpAsync("authz_dave");
        var wrong = await Api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username = "authz_dave", password = "not the password" });
        var unknown = await Api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username = "authz_nobody", password = "not the password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(wrong.Body, unknown.Body);
    }

    [Fact]
    public async Task Settings_are_the_callers_own()
    {
        var ivy = await Api.SignUpAsync("authz_ivy");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Patch, "/v1/users/me", null, new { defaultVisibility = "public" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Patch, "/v1/users/me", "not-a-real-token", new { defaultVisibility = "public" })).Status);

        // The body names no user: an id or username in it changes nothing but the caller's own setting.
        var other = await Api.SignUpAsync("authz_jack");
        var patched = await Api.SendAsync(HttpMethod.Patch, "/v1/users/me", ivy.Token, new { defaultVisibility = "private", id = other.Id, username = "authz_jack" });
        Assert.True(patched.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, patched.Body);
        Assert.Equal("friends", (await Api.SendAsync(HttpMethod.Get, "/v1/users/me", other.Token)).Json["defaultVisibility"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_operator_freezes_and_audits()
    {
        var frank = await Api.SignUpAsync("authz_frank", deposit: 1_000);
        var grace = await Api.SignUpAsync("authz_grace");
        var frozen = await Api.SendAsync(HttpMethod.Post, $"/v1/admin/wallets/{frank.Id}/freeze", InProcessSilo.AdminToken);
        Assert.Equal(HttpStatusCode.OK, frozen.Status);
        Assert.Equal("frozen", frozen.Json["status"]!.GetValue<string>());
        Assert.Equal("ACCOUNT_FROZEN", (await Api.TransferAsync(frank.Token, grace.Id, 10, "while-frozen")).Code);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Post, $"/v1/admin/wallets/{frank.Id}/unfreeze", InProcessSilo.AdminToken)).Status);
        Assert.Equal(HttpStatusCode.Created, (await Api.TransferAsync(frank.Token, grace.Id, 10, "after-thaw")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, $"/v1/admin/wallets/{Guid.NewGuid()}/freeze", InProcessSilo.AdminToken)).Status);
        Assert.True((await Api.AuditAsync(InProcessSilo.AdminToken))["balanced"]!.GetValue<bool>());

        // Each freeze and thaw is in the audit log, by the operator, with the status before and after.
        var audit = await Api.SendAsync(HttpMethod.Get, $"/v1/admin/audit?resource={frank.Id}", InProcessSilo.AdminToken);
        Assert.Equal(
            [("wallet.unfrozen", "frozen", "active"), ("wallet.frozen", "active", "frozen")],
            audit.Json["data"]!.AsArray().Select(record => (record!["action"]!.GetValue<string>(), record["oldValue"]!["status"]!.GetValue<string>(), record["newValue"]!["status"]!.GetValue<string>())));
    }

    [Fact]
    public async Task The_operator_sees_the_cluster()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/admin/cluster", null)).Status);
        var cluster = await Api.SendAsync(HttpMethod.Get, "/v1/admin/cluster", InProcessSilo.AdminToken);
        Assert.Equal(HttpStatusCode.OK, cluster.Status);
        var silo = Assert.Single(cluster.Json["silos"]!.AsArray())!;
        Assert.StartsWith("127.0.0.1:", silo["address"]!.GetValue<string>());
        Assert.Equal("active", silo["status"]!.GetValue<string>());
        Assert.True(silo["lastHeartbeat"]!.GetValue<DateTimeOffset>() >= silo["startedAt"]!.GetValue<DateTimeOffset>());
    }
}
