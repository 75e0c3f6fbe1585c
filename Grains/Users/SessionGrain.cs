using Npgsql;
using Payments.Grains.Interfaces.Users;
using Orleans;

namespace Payments.Grains.Users;

/// <summary>
/// One session, keyed by its token's hash. It reads its row once and then answers from memory; revocation updates
/// the row and the activation together, and since there is one activation per session it takes effect at once.
/// </summary>
[GrainType("session")]
public sealed class SessionGrain(NpgsqlDataSource dataSource, TimeProvider time) : Grain, ISessionGrain
{
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

    public Task<string?> Authenticate() =>
        Task.FromResult(_userId is { } user && !_revoked && time.GetUtcNow() < _expiresAt ? user.ToString("D") : null);

    public async Task Revoke()
    {
        if (_userId is null || _revoked)
        {
            return;
        }

        _revoked = true;
        await using var command = dataSource.CreateCommand("UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = this.GetPrimaryKeyString() });
        await command.ExecuteNonQueryAsync();
    }
}
