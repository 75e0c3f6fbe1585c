using Microsoft.Extensions.Options;
using Payments.ApiFrontend.Authentication;
using Payments.Grains.Interfaces.Users;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// The front end's memory of live sessions: it may answer only while revocations are heard, and never for a session
/// revoked, expired, or revoked while its grain was being asked.
/// </summary>
public sealed class AcceptedSessionCacheTests : IDisposable
{
    private const string Key = "session-a";
    private readonly SettableTime _time = new(DateTimeOffset.Parse("2026-12-07T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly RefusedSessionCache _refused;
    private readonly AcceptedSessionCache _cache;

    public AcceptedSessionCacheTests()
    {
        var options = Options.Create(new SessionAuthenticationOptions());
        _refused = new RefusedSessionCache(options);
        _cache = new AcceptedSessionCache(options, _time, _refused);
    }

    public void Dispose()
    {
        _cache.Dispose();
        _refused.Dispose();
    }

    [Fact]
    public void Sessions_are_remembered_only_while_revocations_are_heard()
    {
        _cache.Add(Key, Session(TimeSpan.FromHours(1)), _cache.Revocations);
        Assert.False(_cache.TryGet(Key, out _), "nothing is remembered before the revocation channel is listened to");

        _cache.Hearing();
        var session = Session(TimeSpan.FromHours(1));
        _cache.Add(Key, session, _cache.Revocations);
        Assert.True(_cache.TryGet(Key, out var found));
        Assert.Same(session, found);

        _cache.Deaf();
        Assert.False(_cache.TryGet(Key, out _), "nothing is answered while revocations may be missed");
        _cache.Hearing();
        Assert.False(_cache.TryGet(Key, out _), "what was remembered before going deaf is forgotten");
    }

    [Fact]
    public void A_revoked_session_is_forgotten_and_refused_while_others_stay()
    {
        _cache.Hearing();
        _cache.Add(Key, Session(TimeSpan.FromHours(1)), _cache.Revocations);
        _cache.Add("session-b", Session(TimeSpan.FromHours(1)), _cache.Revocations);

        _cache.Revoked(Key);

        Assert.False(_cache.TryGet(Key, out _));
        Assert.True(_refused.Contains(Key));
        Assert.True(_cache.TryGet("session-b", out _));
        Assert.False(_refused.Contains("session-b"));
    }

    [Fact]
    public void A_grain_answer_older_than_a_revocation_heard_or_than_hearing_itself_is_not_kept()
    {
        _cache.Hearing();
        var seen = _cache.Revocations;
        _cache.Revoked("some-other-session"); // heard while the grain was being asked: the answer may predate it
        _cache.Add(Key, Session(TimeSpan.FromHours(1)), seen);
        Assert.False(_cache.TryGet(Key, out _));

        _cache.Deaf();
        seen = _cache.Revocations;
        _cache.Hearing(); // the grain was asked while revocations could be missed
        _cache.Add(Key, Session(TimeSpan.FromHours(1)), seen);
        Assert.False(_cache.TryGet(Key, out _));

        _cache.Add(Key, Session(TimeSpan.FromHours(1)), _cache.Revocations);
        Assert.True(_cache.TryGet(Key, out _), "an answer with nothing heard since is kept");
    }

    [Fact]
    public void A_session_is_never_answered_past_its_expiry()
    {
        _cache.Hearing();
        _cache.Add(Key, Session(TimeSpan.FromSeconds(10)), _cache.Revocations);
        Assert.True(_cache.TryGet(Key, out _));

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(_cache.TryGet(Key, out _));

        _cache.Add("expired", Session(TimeSpan.Zero), _cache.Revocations);
        Assert.False(_cache.TryGet("expired", out _));
    }

    [Fact]
    public void A_zero_cache_time_remembers_nothing()
    {
        var options = Options.Create(new SessionAuthenticationOptions { AcceptedSessionCacheTime = TimeSpan.Zero });
        using var cache = new AcceptedSessionCache(options, _time, _refused);
        cache.Hearing();
        cache.Add(Key, Session(TimeSpan.FromHours(1)), cache.Revocations);
        Assert.False(cache.TryGet(Key, out _));
    }

    private AuthenticatedSession Session(TimeSpan lifetime) => new("6f1c2d44-5c1e-4f0a-9a57-3b2d1f0e9c11", _time.GetUtcNow() + lifetime);

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
