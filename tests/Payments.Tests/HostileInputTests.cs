using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>Bad requests get a 4xx JSON error with the right code, and change nothing.</summary>
public sealed class HostileInputTests() : ApiTest("hostile")
{
    private (string Id, string Token) _alice;
    private (string Id, string Token) _bob;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _alice = await Api.SignUpAsync("hostile_alice", deposit: 50_000);
        _bob = await Api.SignUpAsync("hostile_bob", deposit: 10_000);
    }

    public static TheoryData<string, string, string?, string?, int, string, string?> BadRequests()
    {
        const string bob = "hostile_bob";
        var overLimit = new string('x', 70_000);
        return new()
        {
            // name, path, body, idempotency key, status, code, field
            { "malformed json", "/v1/transfers", "{\"to\": \"hostile_bob\", \"amount\": ", "k1", 400, "VALIDATION_ERROR", null },
            { "not an object", "/v1/transfers", "[1,2,3]", "k2", 400, "VALIDATION_ERROR", null },
            { "empty body", "/v1/transfers", "", "k3", 400, "VALIDATION_ERROR", null },
            { "amount as string", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":\"100\",\"currency\":\"USD\"}}", "k4", 400, "INVALID_AMOUNT", "amount" },
            { "amount overflows", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":99999999999999999999999,\"currency\":\"USD\"}}", "k5", 400, "INVALID_AMOUNT", "amount" },
            { "amount fractional", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":10.5,\"currency\":\"USD\"}}", "k6", 400, "INVALID_AMOUNT", "amount" },
            { "amount zero", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":0,\"currency\":\"USD\"}}", "k7", 400, "INVALID_AMOUNT", "amount" },
            { "amount negative", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":-500,\"currency\":\"USD\"}}", "k8", 400, "INVALID_AMOUNT", "amount" },
            { "amount above the limit", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":500001,\"currency\":\"USD\"}}", "k9", 400, "INVALID_AMOUNT", "amount" },
            { "unknown currency", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"currency\":\"XYZ\"}}", "k10", 400, "INVALID_CURRENCY", "currency" },
            { "lower-case currency", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"currency\":\"usd\"}}", "k11", 400, "INVALID_CURRENCY", "currency" },
            { "other currency", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"currency\":\"EUR\"}}", "k12", 422, "CURRENCY_MISMATCH", "currency" },
            { "note too long", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"currency\":\"USD\",\"note\":\"{new string('n', 281)}\"}}", "k13", 400, "VALIDATION_ERROR", "note" },
            { "bad visibility", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"currency\":\"USD\",\"visibility\":\"everyone\"}}", "k14", 400, "VALIDATION_ERROR", "visibility" },
            { "unknown recipient", "/v1/transfers", "{\"to\":\"nobody_here\",\"amount\":100,\"currency\":\"USD\"}", "k15", 404, "RECIPIENT_NOT_FOUND", null },
            { "recipient not a name", "/v1/transfers", "{\"to\":\"Robert'); DROP TABLE users;--\",\"amount\":100,\"currency\":\"USD\"}", "k16", 400, "VALIDATION_ERROR", "to" },
            { "to self", "/v1/transfers", "{\"to\":\"hostile_alice\",\"amount\":100,\"currency\":\"USD\"}", "k17", 422, "INVALID_RECIPIENT", null },
            { "more than the balance", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":60000,\"currency\":\"USD\"}}", "k18", 422, "INSUFFICIENT_FUNDS", null },
            { "no idempotency key", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"currency\":\"USD\"}}", null, 400, "IDEMPOTENCY_KEY_REQUIRED", null },
            { "idempotency key too long", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"currency\":\"USD\"}}", new string('k', 256), 400, "VALIDATION_ERROR", "Idempotency-Key" },
            { "body over 64 KiB", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"currency\":\"USD\",\"note\":\"{overLimit}\"}}", "k19", 413, "REQUEST_TOO_LARGE", null },
            { "deposit negative", "/v1/wallet/deposits", "{\"amount\":-1}", "k20", 400, "INVALID_AMOUNT", "amount" },
            { "deposit huge", "/v1/wallet/deposits", "{\"amount\":9223372036854775807}", "k21", 400, "INVALID_AMOUNT", "amount" },
            { "deposit null amount", "/v1/wallet/deposits", "{\"amount\":null}", "k22", 400, "INVALID_AMOUNT", "amount" },
            { "withdraw too much", "/v1/wallet/withdrawals", "{\"amount\":50001}", "k23", 422, "INSUFFICIENT_FUNDS", null },
            { "withdraw without key", "/v1/wallet/withdrawals", "{\"amount\":1}", null, 400, "IDEMPOTENCY_KEY_REQUIRED", null },
            // PostgreSQL text cannot hold U+0000: refused at the edge, not by a failing statement.
            { "note with NUL", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"currency\":\"USD\",\"note\":\"a\\u0000b\"}}", "k24", 400, "VALIDATION_ERROR", "note" },
            // A repeated key is refused, not resolved by taking the last one (which would make a signed or logged body lie).
            { "repeated property", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"amount\":40000,\"currency\":\"USD\"}}", "k25", 400, "VALIDATION_ERROR", "amount" },
            { "repeated property in another case", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"currency\":\"USD\",\"Currency\":\"EUR\"}}", "k26", 400, "VALIDATION_ERROR", "Currency" },
            { "repeated property escaped", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"\\u0061mount\":40000,\"currency\":\"USD\"}}", "k27", 400, "VALIDATION_ERROR", "amount" },
            { "repeated unknown property", "/v1/wallet/deposits", "{\"amount\":100,\"x\":1,\"x\":2}", "k28", 400, "VALIDATION_ERROR", "x" },
            // Every string of a body, in a property the request knows or not: storable text, and no card number.
            { "NUL in an unknown property", "/v1/wallet/deposits", "{\"amount\":100,\"zz\":\"a\\u0000\"}", "k29", 400, "VALIDATION_ERROR", "zz" },
            { "lone surrogate in an unknown property", "/v1/wallet/deposits", "{\"amount\":100,\"zz\":\"\\ud800\"}", "k30", 400, "VALIDATION_ERROR", "zz" },
            { "card number in a note", "/v1/transfers", $"{{\"to\":\"{bob}\",\"amount\":100,\"currency\":\"USD\",\"note\":\"my card 4000 0000 0000 0002\"}}", "k31", 400, "VALIDATION_ERROR", "note" },
            { "card number in an unknown property", "/v1/wallet/deposits", "{\"amount\":100,\"memo\":{\"pan\":\"4242424242424242\"}}", "k32", 400, "VALIDATION_ERROR", "memo.pan" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_gets_its_error_and_changes_nothing(string name, string path, string? body, string? key, int status, string code, string? field)
    {
        var before = await SnapshotAsync();
        var response = await Api.SendRawAsync(HttpMethod.Post, path, _alice.Token, body, key);

        Assert.True((int)response.Status == status, $"{name}: expected {status}, got {(int)response.Status} {response.Body}");
        Assert.Equal(code, response.Code);
        if (field is not null)
        {
            Assert.Equal(field, response.Json["field"]?.GetValue<string>());
        }

        Assert.NotNull(response.Json["message"]);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Other_bad_requests_are_answered_in_json_without_a_server_error()
    {
        var notJson = await Api.SendRawAsync(HttpMethod.Post, "/v1/transfers", _alice.Token, "to=bob", "x1", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.Status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", notJson.Code);

        var unknownRoute = await Api.SendAsync(HttpMethod.Get, "/v1/nothing-here", _alice.Token);
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.Status);
        Assert.Equal("NOT_FOUND", unknownRoute.Code);

        var badUser = await Api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username = "A", displayName = "x", password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, badUser.Status);
        Assert.Equal("username", badUser.Json["field"]!.GetValue<string>());

        var taken = await Api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username = "hostile_alice", displayName = "Again", password = ApiClient.Password });
        Assert.Equal(HttpStatusCode.Conflict, taken.Status);
        Assert.Equal("USERNAME_TAKEN", taken.Code);

        var badLimit = await Api.SendAsync(HttpMethod.Get, "/v1/wallet/transactions?limit=0", _alice.Token);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.Status);
        var badCursor = await Api.SendAsync(HttpMethod.Get, "/v1/wallet/transactions?startingAfter=not-a-uuid", _alice.Token);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.Status);
        var emptySearch = await Api.SendAsync(HttpMethod.Get, "/v1/users/search?q=", _alice.Token);
        Assert.Equal(HttpStatusCode.BadRequest, emptySearch.Status);
        var nulSearch = await Api.SendAsync(HttpMethod.Get, "/v1/users/search?q=%00", _alice.Token);
        Assert.Equal((HttpStatusCode.BadRequest, "q"), (nulSearch.Status, nulSearch.Json["field"]?.GetValue<string>()));
        var nulCursor = await Api.SendAsync(HttpMethod.Get, "/v1/notifications?after=%00", _alice.Token);
        Assert.Equal((HttpStatusCode.BadRequest, "after"), (nulCursor.Status, nulCursor.Json["field"]?.GetValue<string>()));
    }

    [Fact]
    public async Task A_length_limit_counts_characters_not_utf16_units()
    {
        // An emoji is two UTF-16 code units and one character, as people and PostgreSQL's length() count it.
        var longest = string.Concat(Enumerable.Repeat("😀", 280));
        var sent = await Api.TransferAsync(_alice.Token, "hostile_bob", 100, "emoji-280", note: longest);
        Assert.True(sent.Status == HttpStatusCode.Created, sent.Body);
        Assert.Equal(longest, sent.Json["transfer"]!["note"]!.GetValue<string>());
        var tooLong = await Api.TransferAsync(_alice.Token, "hostile_bob", 100, "emoji-281", note: longest + "😀");
        Assert.Equal((HttpStatusCode.BadRequest, "note"), (tooLong.Status, tooLong.Json["field"]?.GetValue<string>()));
    }

    [Fact]
    public async Task An_id_is_read_in_its_standard_form_only()
    {
        var sent = await Api.TransferAsync(_alice.Token, "hostile_bob", 100, "padded-1");
        var id = sent.Json["transfer"]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, $"/v1/transfers/{id}", _alice.Token)).Status);
        // .NET's UUID parser trims white space: " id " named the same transfer.
        var padded = await Api.SendAsync(HttpMethod.Get, $"/v1/transfers/%20{id}%20", _alice.Token);
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (padded.Status, padded.Code));
    }

    [Fact]
    public async Task A_request_over_the_head_limits_gets_a_json_error_that_names_the_limit()
    {
        var longQuery = await Api.SendAsync(HttpMethod.Get, "/v1/users/search?q=" + new string('a', 9 * 1024), _alice.Token);
        Assert.Equal((HttpStatusCode.RequestUriTooLong, "REQUEST_TOO_LARGE"), (longQuery.Status, longQuery.Code));
        Assert.Contains("path and query", longQuery.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var bigHeaders = new HttpRequestMessage(HttpMethod.Get, "/v1/wallet");
        bigHeaders.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _alice.Token);
        bigHeaders.Headers.Add("X-Filler", new string('f', 40 * 1024));
        using var refused = await Api.Http.SendAsync(bigHeaders);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal((HttpStatusCode.RequestHeaderFieldsTooLarge, "REQUEST_TOO_LARGE"), (refused.StatusCode, body["code"]!.GetValue<string>()));

        // Just inside both limits, the same requests reach their endpoints (a search term that long is the endpoint's own 400).
        var longSearch = await Api.SendAsync(HttpMethod.Get, "/v1/users/search?q=" + new string('a', 7 * 1024), _alice.Token);
        Assert.Equal((HttpStatusCode.BadRequest, "q"), (longSearch.Status, longSearch.Json["field"]?.GetValue<string>()));
        using var fatHeaders = new HttpRequestMessage(HttpMethod.Get, "/v1/wallet");
        fatHeaders.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _alice.Token);
        fatHeaders.Headers.Add("X-Filler", new string('f', 30 * 1024));
        using var answered = await Api.Http.SendAsync(fatHeaders);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task A_query_parameter_the_endpoint_does_not_take_is_refused_naming_it()
    {
        await Api.TransferAsync(_alice.Token, "hostile_bob", 100, "query-names-1");
        var history = await Api.SendAsync(HttpMethod.Get, "/v1/wallet/transactions?limit=1", _alice.Token);
        Assert.Equal(HttpStatusCode.OK, history.Status);

        // Misspelt, the limit would be ignored and a full page answered.
        var misspelt = await Api.SendAsync(HttpMethod.Get, "/v1/wallet/transactions?limt=1", _alice.Token);
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", "limt"), (misspelt.Status, misspelt.Code, misspelt.Json["field"]?.GetValue<string>()));
        var requests = await Api.SendAsync(HttpMethod.Get, "/v1/requests?role=sent&stauts=pending", _alice.Token);
        Assert.Equal((HttpStatusCode.BadRequest, "stauts"), (requests.Status, requests.Json["field"]?.GetValue<string>()));

        // Names are matched as binding matches them, in any letter case; a name that is not plain is not echoed.
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/v1/wallet/transactions?LIMIT=1", _alice.Token)).Status);
        foreach (var name in new[] { "%3Cscript%3E", "4242424242424242" })
        {
            var odd = await Api.SendAsync(HttpMethod.Get, $"/v1/wallet/transactions?{name}=1", _alice.Token);
            Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR"), (odd.Status, odd.Code));
            Assert.Null(odd.Json["field"]);
            Assert.DoesNotContain("4242", odd.Body, StringComparison.Ordinal);
        }

        // Nor when the value is what is wrong with it (the check on values names the parameter too).
        var unreadable = await Api.SendAsync(HttpMethod.Get, "/v1/wallet/transactions?4242424242424242=%00", _alice.Token);
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR"), (unreadable.Status, unreadable.Code));
        Assert.DoesNotContain("4242", unreadable.Body, StringComparison.Ordinal);

        // Without a session the answer is still 401: authentication comes first.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/wallet/transactions?limt=1", null)).Status);
    }

    [Fact]
    public async Task An_id_whose_digits_happen_to_pass_luhn_is_an_id_not_a_card_number()
    {
        // Hex digits of an issued id hold such a run about once in five hundred ids: the body's card scan let them be.
        var userId = "42424242-4242-4242-abcd-abcdefabcdef";
        var sent = await Api.TransferAsync(_alice.Token, userId, 100, "luhn-id-1");
        Assert.Equal((HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND"), (sent.Status, sent.Code));

        // Within text too, as a word of its own: "for <id>" is a note about a resource.
        var noted = await Api.TransferAsync(_alice.Token, "hostile_bob", 100, "luhn-id-2", note: $"for {userId}, and pay_4242424242424242abcdefabcdefabcd");
        Assert.Equal(HttpStatusCode.Created, noted.Status);

        // Only a word of an id's exact shape: the same digits with anything else in their word are a card number.
        foreach (var (note, key) in new[] { ($"for {userId}0", "luhn-id-3"), ("for 42424242-4242-4242", "luhn-id-4"), ("card4242424242424242", "luhn-id-5") })
        {
            var refused = await Api.TransferAsync(_alice.Token, "hostile_bob", 100, key, note: note);
            Assert.Equal((HttpStatusCode.BadRequest, "note"), (refused.Status, refused.Json["field"]?.GetValue<string>()));
        }
    }

    [Fact]
    public async Task A_repeated_property_is_called_a_duplicate_property()
    {
        var before = await SnapshotAsync();
        var repeated = await Api.SendRawAsync(HttpMethod.Post, "/v1/transfers", _alice.Token, "{\"to\":\"hostile_bob\",\"to\":\"hostile_alice\",\"amount\":100,\"currency\":\"USD\"}", "dup-1");
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", "to"), (repeated.Status, repeated.Code, repeated.Json["field"]?.GetValue<string>()));
        Assert.Contains("duplicate property", repeated.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // Nested or long names are not echoed as a field, but the message says the same.
        var longName = new string('n', 100);
        var repeatedLong = await Api.SendRawAsync(HttpMethod.Post, "/v1/wallet/deposits", _alice.Token, $"{{\"amount\":1,\"{longName}\":1,\"{longName}\":2}}", "dup-2");
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR"), (repeatedLong.Status, repeatedLong.Code));
        Assert.Null(repeatedLong.Json["field"]);
        Assert.Contains("duplicate property", repeatedLong.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=\"windows-1252\"")]
    [InlineData("application/json; charset=utf-8; charset=latin1")]
    public async Task A_charset_other_than_utf8_is_refused_with_415(string contentType)
    {
        var before = await SnapshotAsync();
        var response = await Api.SendRawAsync(HttpMethod.Post, "/v1/wallet/deposits", _alice.Token, "{\"amount\":100}", $"charset-{contentType.Length}", contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", response.Code);
        Assert.Contains("UTF-8", response.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_a_validation_error()
    {
        var before = await SnapshotAsync();
        foreach (var body in new[]
        {
            // Latin-1 "é" in a value, and in a property name.
            "{\"to\":\"hostile_bob\",\"amount\":100,\"currency\":\"USD\",\"note\":\"caf\u00e9\"}",
            "{\"to\":\"hostile_bob\",\"amount\":100,\"currency\":\"USD\",\"n\u00e9\":1}",
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/transfers") { Content = new ByteArrayContent(System.Text.Encoding.Latin1.GetBytes(body)) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _alice.Token);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await Api.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            Assert.Contains("VALIDATION_ERROR", text, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json;charset=\"utf-8\"")]
    [InlineData("application/json; charset=utf8")]
    public async Task Utf8_or_no_charset_is_accepted(string contentType)
    {
        var response = await Api.SendRawAsync(HttpMethod.Post, "/v1/wallet/deposits", _alice.Token, "{\"amount\":100}", Guid.NewGuid().ToString(), contentType);
        Assert.True(response.Status == HttpStatusCode.Created, response.Body);
    }

    public static TheoryData<string, string, string> ImpersonatingDisplayNames() => new()
    {
        // name, display name, what the message says
        { "right-to-left override", "\u202EecilA", "format" },
        { "zero-width space", "Al\u200Bice", "format" },
        { "zero-width joiner", "Alice\u200D", "format" },
        { "tag characters", "Alice\U000E0041", "format" },
        { "blank: Hangul filler", "\u3164", "invisible" },
        { "blank: braille blank", "\u2800\u2800", "invisible" },
        { "blank: only spaces of other kinds", "\u00A0\u2003\u3000", "blank" },
        { "blank: only combining marks", "\u0301\u0301", "blank" },
        { "mixed scripts: Cyrillic A in a Latin name", "\u0410lice Smith", "scripts" },
        { "mixed scripts: Greek omicron", "B\u03BFb", "scripts" },
        { "mixed scripts: full-width letter", "\uFF21lice", "scripts" },
        { "stacked combining marks", "Ali\u0301\u0302\u0303\u0304\u0305ce", "combining" },
        { "line separator", "Alice\u2028Smith", "format" },
        { "private use", "Alice\uE000", "format" },
        { "control character", "Alice\u0007", "control" },
    };

    [Theory]
    [MemberData(nameof(ImpersonatingDisplayNames))]
    public async Task A_display_name_that_could_impersonate_is_refused(string name, string displayName, string says)
    {
        var response = await Api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username = "imp_user", displayName, password = ApiClient.Password });
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{name}: {(int)response.Status} {response.Body}");
        Assert.Equal("VALIDATION_ERROR", response.Code);
        Assert.Equal("displayName", response.Json["field"]!.GetValue<string>());
        Assert.Contains(says, response.Json["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, string, string, string> WeakPasswords() => new()
    {
        // name, username, password, what the message says
        { "the most common password", "weak_one", "password", "top-10 common password" },
        { "eight spaces", "weak_two", "        ", "whitespace" },
        { "the username", "weak_three", "weak_three", "username" },
        { "the username in capitals", "weak_four", "WEAK_FOUR", "username" },
        { "username with a digit", "weak_five", "weak_five1", "username or display name" },
        { "a keyboard row", "weak_six", "qwertyuiop", "common" },
        { "a repeat", "weak_seven", "zzzzzzzzzzzz", "repeats" },
        { "a sequence", "weak_eight", "abcdefgh12345", "sequences" },
        { "l33t of a common password", "weak_nine", "P@ssw0rd", "substitutions" },
        { "too short", "weak_ten", "Xq7#", "8–256" },
    };

    [Theory]
    [MemberData(nameof(WeakPasswords))]
    public async Task A_weak_password_is_refused_with_the_reason(string name, string username, string password, string says)
    {
        var response = await Api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username, displayName = "Weak Tester", password });
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{name}: {(int)response.Status} {response.Body}");
        Assert.Equal("VALIDATION_ERROR", response.Code);
        Assert.Equal("password", response.Json["field"]!.GetValue<string>());
        Assert.Contains(says, response.Json["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username, password })).Status);
    }

    [Fact]
    public async Task A_username_with_a_trailing_newline_is_a_validation_error_not_a_server_error()
    {
        Assert.False(Payments.Grains.Interfaces.Identity.Username.TryParse("eve\n", out _));
        var created = await Api.SendRawAsync(HttpMethod.Post, "/v1/users", null, $"{{\"username\":\"eve\\n\",\"displayName\":\"Eve\",\"password\":\"{ApiClient.Password}\"}}");
        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.Equal(("VALIDATION_ERROR", "username"), (created.Code, created.Json["field"]!.GetValue<string>()));
        Assert.Contains("a–z", created.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var login = await Api.SendRawAsync(HttpMethod.Post, "/v1/sessions", null, $"{{\"username\":\"hostile_alice\\n\",\"password\":\"{ApiClient.Password}\"}}");
        Assert.Equal(HttpStatusCode.Unauthorized, login.Status);
        Assert.Equal("INVALID_CREDENTIALS", login.Code);

        var transfer = await Api.SendRawAsync(HttpMethod.Post, "/v1/transfers", _alice.Token, "{\"to\":\"hostile_bob\\n\",\"amount\":1,\"currency\":\"USD\"}", "newline-recipient");
        Assert.Equal((HttpStatusCode.BadRequest, "to"), (transfer.Status, transfer.Json["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_value_a_database_check_refuses_is_a_400_not_a_500()
    {
        // 64 × U+0958 passes the API's 64-character limit, but its NFC form (U+0915 U+093C each) is 128 characters,
        // which the users table's CHECK refuses: the silo turns SQLSTATE 23514 into a validation error.
        var longAfterNfc = string.Concat(Enumerable.Repeat("\\u0958", 64));
        var response = await Api.SendRawAsync(HttpMethod.Post, "/v1/users", null, $"{{\"username\":\"nfc_grows\",\"displayName\":\"{longAfterNfc}\",\"password\":\"{ApiClient.Password}\"}}");
        Assert.True(response.Status == HttpStatusCode.BadRequest, response.Body);
        Assert.Equal(("VALIDATION_ERROR", "displayName"), (response.Code, response.Json["field"]!.GetValue<string>()));

        // What a grain call gives its caller: Orleans carries the silo's exception, not Npgsql's.
        var violation = await Assert.ThrowsAsync<Payments.Grains.Interfaces.Errors.ConstraintViolationException>(
            () => Client.Grains.GetGrain<Grains.ICheckViolationGrain>("any").Violate());
        Assert.Equal("failures", violation.Field);
        Assert.Equal("login_attempts_failures_check", violation.Constraint);
    }

    [Fact]
    public async Task Reusing_an_idempotency_key_for_a_different_request_is_refused()
    {
        var first = await Api.TransferAsync(_alice.Token, _bob.Id, 100, "reuse-me");
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var again = await Api.TransferAsync(_alice.Token, _bob.Id, 100, "reuse-me");
        Assert.Equal(first, again);
        var different = await Api.TransferAsync(_alice.Token, _bob.Id, 200, "reuse-me");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.Status);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", different.Code);
    }

    [Fact]
    public async Task HEAD_is_answered_as_GET_without_its_body()
    {
        // One connection, so a body sent after a HEAD's headers would be read as the next response and break it.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = Api.Http.BaseAddress };
        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
        {
            using var request = new HttpRequestMessage(method, path);
            if (token is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            return await http.SendAsync(request);
        }

        using var get = await SendAsync(HttpMethod.Get, "/v1/wallet", _alice.Token);
        using var head = await SendAsync(HttpMethod.Head, "/v1/wallet", _alice.Token);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        // The GET's rules, status and headers: authentication, an unknown path, a path without GET, an unknown parameter.
        using var anonymous = await SendAsync(HttpMethod.Head, "/v1/wallet", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var unknown = await SendAsync(HttpMethod.Head, "/v1/no_such_thing", _alice.Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var getPostOnly = await SendAsync(HttpMethod.Get, "/v1/transfers", _alice.Token);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getPostOnly.StatusCode);
        using var postOnly = await SendAsync(HttpMethod.Head, "/v1/transfers", _alice.Token);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, postOnly.StatusCode);
        Assert.Contains("POST", postOnly.Content.Headers.Allow);
        using var badQuery = await SendAsync(HttpMethod.Head, "/v1/wallet?limt=1", _alice.Token);
        Assert.Equal(HttpStatusCode.BadRequest, badQuery.StatusCode);

        // The connection is still in step: the next GET reads its own answer.
        using var after = await SendAsync(HttpMethod.Get, "/v1/wallet", _alice.Token);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(await get.Content.ReadAsStringAsync(), await after.Content.ReadAsStringAsync());
    }

    private async Task<string> SnapshotAsync()
    {
        var alice = await Api.WalletAsync(_alice.Token);
        var bob = await Api.WalletAsync(_bob.Token);
        var history = await Api.HistoryAsync(_alice.Token);
        return $"{alice.ToJsonString()}|{bob.ToJsonString()}|{history.Count}";
    }
}
