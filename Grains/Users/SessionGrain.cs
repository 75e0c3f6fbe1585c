using Npgsql;
using Payments.Grains.Interfaces.Users;
using Orleans;

namespace Payments.Grains.Users;

/// <summary>
/// One session, keyed by its token's hash. It reads its row once and then answers from memory; revocation updates
/// the row and the activation together, and since there is one activation per session it takes effect at once.
/// An activation that has no live session to serve (unknown token, expired, revoked) is collected as soon as its
/// call returns: a flood of made-up tokens leaves no activations behind, and the row stays the truth.
/// </summary>
[GrainType("session")]
public sealed class SessionGrain(NpgsqlDataSource dataSource, TimeProvider time) : Grain, ISessionGrain
{
    // One statement, so one transaction: the NOTIFY reaches the front ends when (and only if) the revocation commits.
    private const string RevokeSql =
        """
        WITH revoked AS (
            UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING token_hash)
        SELECT count(pg_notify($2, token_hash)) FROM revoked
        """;

    private Guid? _userId;
    private DateTimeOffset _expiresAt;
    private bool _revoked;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id, expires_at, revoked_at IS NOT NULL FROM sessions WHERE token_hash = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = this.GetPrimaryKeyString() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            _userId = reader.GetGuid(0);
            _expiresAt = reader.GetFieldValue<DateTimeOffset>(1);
            _revoked = reader.GetBoolean(2);
        }
    }

    public Task<AuthenticatedSession?> Authenticate()
    {
        if (_userId is { } user && !_revoked && time.GetUtcNow() < _expiresAt)
        {
            return Task.FromResult<AuthenticatedSession?>(new AuthenticatedSession(user.ToString("D"), _expiresAt));
        }

        DeactivateOnIdle();
        return Task.FromResult<AuthenticatedSession?>(null);
    }

    public async Task Revoke()
    {
        if (_userId is null || _revoked)
        {
            DeactivateOnIdle();
            return;
        }

        await using var command = dataSource.CreateCommand(RevokeSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = this.GetPrimaryKeyString() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SessionRevocations.Channel });
        await command.ExecuteNonQueryAsync();
        _revoked = true;
        DeactivateOnIdle();
    }
}
