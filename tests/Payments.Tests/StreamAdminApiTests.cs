using System.Net;
using Npgsql;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>GET /v1/admin/streams/dead-letters: operators only, paged, bad paging refused.</summary>
public sealed class StreamAdminApiTests() : ApiTest("stream-admin")
{
    [Fact]
    public async Task Operators_page_through_dead_letters_and_nobody_else_sees_them()
    {
        var database = Silo.Services.GetService(typeof(NpgsqlDataSource)) as NpgsqlDataSource;
        await using (var insert = database!.CreateCommand(
            """
            INSERT INTO stream_dead_letters (consumer, grain_type, grain_key, event_id, stream_namespace, stream_key, position, type, payload, attempts, error)
            SELECT 'implicit:test', 'test', 'k', gen_random_uuid(), 'transfers', 'k', n, 'TransferCompleted', '{}', 5, 'boom ' || n FROM generate_series(1, 3) AS n
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var first = await Api.SendAsync(HttpMethod.Get, "/v1/admin/streams/dead-letters?limit=2", InProcessSilo.AdminToken);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.True(first.Json["hasMore"]!.GetValue<bool>());
        var page = first.Json["data"]!.AsArray();
        Assert.Equal(["boom 1", "boom 2"], page.Select(item => item!["error"]!.GetValue<string>()));

        var after = page[^1]!["id"]!.GetValue<long>();
        var second = await Api.SendAsync(HttpMethod.Get, $"/v1/admin/streams/dead-letters?limit=2&startingAfter={after}", InProcessSilo.AdminToken);
        Assert.False(second.Json["hasMore"]!.GetValue<bool>());
        Assert.Equal("boom 3", Assert.Single(second.Json["data"]!.AsArray())!["error"]!.GetValue<string>());

        var user = await Api.SignUpAsync("dl_user");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/admin/streams/dead-letters", user.Token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/admin/streams/dead-letters", null)).Status);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=x", "limit")]
    [InlineData("?startingAfter=-1", "startingAfter")]
    [InlineData("?startingAfter=abc", "startingAfter")]
    public async Task Bad_paging_is_a_validation_error(string query, string field)
    {
        var response = await Api.SendAsync(HttpMethod.Get, $"/v1/admin/streams/dead-letters{query}", InProcessSilo.AdminToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(field, response.Json["field"]!.GetValue<string>());
    }
}
