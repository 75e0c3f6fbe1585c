using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Users;
using Xunit;

namespace Payments.Tests;

/// <summary>Which scheme a bearer token goes to: API keys by their <c>sk_</c> prefix, session tokens by their shape.</summary>
public sealed class BearerTokenKindTests
{
    [Fact]
    public void A_session_token_that_happens_to_start_with_sk_is_still_a_session_token()
    {
        // 43 base64url characters whose last one carries zero padding bits: a token the session issuer can produce.
        var token = "sk_" + new string('A', SessionTokenFormat.Length - 3);

        Assert.True(SessionTokenFormat.IsWellFormed(token));
        Assert.False(ApiKeySecret.LooksLikeKey(token));
    }

    [Fact]
    public void An_api_key_is_an_api_key()
    {
        var secret = ApiKeySecret.New();

        Assert.True(ApiKeySecret.LooksLikeKey(secret));
        Assert.True(ApiKeySecret.IsWellFormed(secret));
        Assert.False(SessionTokenFormat.IsWellFormed(secret));
    }

    [Theory]
    [InlineData("sk_live_short")]
    [InlineData("sk_test_" + "not-a-real-key-but-long-enough-to-look-like-one")]
    public void Other_sk_tokens_go_to_the_api_key_scheme_and_are_refused_there(string token)
    {
        Assert.True(ApiKeySecret.LooksLikeKey(token));
        Assert.False(ApiKeySecret.IsWellFormed(token));
    }
}
