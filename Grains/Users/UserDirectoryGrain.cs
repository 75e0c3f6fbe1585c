using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Money;
using Payments.Grains.Interfaces.Text;
using Payments.Grains.Interfaces.Users;
using Payments.Grains.Ledger;
using Orleans;

namespace Payments.Grains.Users;

/// <summary>
/// Registration, login and lookups over the users table. Reentrant: every call is database I/O or password hashing
/// (run on the thread pool), so calls interleave instead of queueing behind each other.
/// </summary>
[Reentrant]
[GrainType("user-directory")]
public sealed partial class UserDirectoryGrain(NpgsqlDataSource dataSource, IOptions<UserOptions> options, TimeProvider time, ILogger<UserDirectoryGrain> logger)
    : Grain, IUserDirectoryGrain
{
    // Profiles never change once created, so lookups (one per transfer, to resolve the recipient) are cached.
    // Bounded: when full the cache starts over, which costs a database read per user, never a wrong answer.
    private const int MaxCachedProfiles = 100_000;
    private readonly Dictionary<string, UserProfile> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserProfile> _byUsername = new(StringComparer.Ordinal);

    // Verified against when the username is unknown, so a miss costs as much as a wrong password.
    private string? _decoyHash;

    public async Task<Outcome<UserProfile>> Register(string username, string displayName, string password)
    {
        if (!Username.TryParse(username, out var name))
        {
            return PaymentError.Validation("username", "username is 3 to 32 characters of a-z, 0-9 and _.");
        }

        var iterations = options.Value.PasswordHashIterations;
        var hash = await Task.Run(() => PasswordHasher.Hash(password, iterations));
        var id = UserId.New();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await using (var insertUser = new NpgsqlCommand("INSERT INTO users (id, username, display_name, password_hash) VALUES ($1, $2, $3, $4)", connection, transaction))
            {
                insertUser.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id.Value });
                insertUser.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name.Value });
                insertUser.Parameters.Add(new NpgsqlParameter<string> { TypedValue = displayName });
                insertUser.Parameters.Add(new NpgsqlParameter<string> { TypedValue = hash });
                await insertUser.ExecuteNonQueryAsync();
            }

            await using (var insertWallet = new NpgsqlCommand("INSERT INTO accounts (id, kind, user_id, currency) VALUES ($1, 'wallet', $2, $3)", connection, transaction))
            {
                insertWallet.Parameters.Add(new NpgsqlParameter<string> { TypedValue = LedgerAccounts.Wallet(id, Currency.Usd.Code) });
                insertWallet.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id.Value });
                insertWallet.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Currency.Usd.Code });
                await insertWallet.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
        catch (PostgresException duplicate) when (duplicate.SqlState == PostgresErrorCodes.UniqueViolation && duplicate.ConstraintName == "users_username_key")
        {
            return new PaymentError(ErrorCodes.UsernameTaken, "That username is taken.", "username");
        }

        LogRegistered(logger, id.Key);
        return new UserProfile(id.Key, name.Value, displayName);
    }

    public async Task<Outcome<SessionGrant>> Login(string username, string password)
    {
        var found = Username.TryParse(username, out var name) ? await ReadCredentialsAsync(name.Value) : null;
        var iterations = options.Value.PasswordHashIterations;
        var stored = found?.PasswordHash ?? (_decoyHash ??= PasswordHasher.Hash("decoy-password", iterations));
        var verified = await Task.Run(() => PasswordHasher.Verify(password, stored));
        if (found is null || !verified)
        {
            return new PaymentError(ErrorCodes.InvalidCredentials, "Unknown username or wrong password.");
        }

        var token = SessionTokens.NewToken();
        await using var command = dataSource.CreateCommand("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SessionTokens.KeyOf(token) });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = found.Value.Id });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = time.GetUtcNow().UtcDateTime + options.Value.SessionLifetime });
        await command.ExecuteNonQueryAsync();
        return new SessionGrant(token, found.Value.Id.ToString("D"));
    }

    public async Task<UserProfile?> Find(string userId)
    {
        if (!UserId.TryParse(userId, out var id))
        {
            return null;
        }

        if (_byId.TryGetValue(id.Key, out var cached))
        {
            return cached;
        }

        return Remember((await QueryAsync("SELECT id, username, display_name FROM users WHERE id = $1", new NpgsqlParameter<Guid> { TypedValue = id.Value })).FirstOrDefault());
    }

    public async Task<UserProfile?> FindByUsername(string username)
    {
        if (!Username.TryParse(username, out var name))
        {
            return null;
        }

        if (_byUsername.TryGetValue(name.Value, out var cached))
        {
            return cached;
        }

        return Remember((await QueryAsync("SELECT id, username, display_name FROM users WHERE username = $1", new NpgsqlParameter<string> { TypedValue = name.Value })).FirstOrDefault());
    }

    private UserProfile? Remember(UserProfile? profile)
    {
        if (profile is null)
        {
            return null; // Misses are not cached: the user may register a moment later.
        }

        if (_byId.Count >= MaxCachedProfiles)
        {
            _byId.Clear();
            _byUsername.Clear();
        }

        _byId[profile.Id] = profile;
        _byUsername[profile.Username] = profile;
        return profile;
    }

    public async Task<IReadOnlyList<UserProfile>> Search(string query, int limit)
    {
        limit = Math.Clamp(limit, 1, UserLimits.MaxSearchResults);
        if (!FreeText.IsStorable(query))
        {
            return []; // No name holds U+0000 (display names refuse control characters), and PostgreSQL cannot compare it.
        }

        var prefix = EscapeLike(query.Trim().ToLowerInvariant()) + "%";
        return await QueryAsync(
            """
            SELECT id, username, display_name FROM users
            WHERE username LIKE $1 OR lower(display_name) LIKE $1
            ORDER BY username LIMIT $2
            """,
            new NpgsqlParameter<string> { TypedValue = prefix },
            new NpgsqlParameter<int> { TypedValue = limit });
    }

    private async Task<(Guid Id, string PasswordHash)?> ReadCredentialsAsync(string username)
    {
        await using var command = dataSource.CreateCommand("SELECT id, password_hash FROM users WHERE username = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = username });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetGuid(0), reader.GetString(1)) : null;
    }

    private async Task<List<UserProfile>> QueryAsync(string sql, params NpgsqlParameter[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);

        var users = new List<UserProfile>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            users.Add(new UserProfile(reader.GetGuid(0).ToString("D"), reader.GetString(1), reader.GetString(2)));
        }

        return users;
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    [LoggerMessage(1, LogLevel.Information, "Registered user {UserId}")]
    private static partial void LogRegistered(ILogger logger, string userId);
}
