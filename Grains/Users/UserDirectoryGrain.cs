using System.Globalization;
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
using Payments.Infrastructure.Postgres;

namespace Payments.Grains.Users;

/// <summary>
/// Registration, login and lookups over the users table. A stateless worker: every silo has its own activation (key
/// "default"), so the front end co-hosted with a silo calls it in process and a stand-alone front end calls its gateway
/// silo; sign-ins are spread over the cluster instead of landing on one silo. Reentrant: every call is database I/O
/// or a password hash, which runs on a thread of its own under this silo's bound (<see cref="PasswordHashing"/>), never
/// in a grain turn. Failed sign-ins are counted in PostgreSQL (<see cref="LoginAttempts"/>), which every silo shares.
/// The worker is kept while it is busy (no idle-worker removal): Orleans' adaptive removal counts a worker whose calls
/// never queue as idle and replaced it every few seconds under load, and with it the profile cache, so that about
/// two transfers in three read their recipient from the database.
/// </summary>
[Reentrant]
[StatelessWorker(1, removeIdleWorkers: false)]
[GrainType("user-directory")]
public sealed partial class UserDirectoryGrain(
    NpgsqlDataSource dataSource,
    PasswordHashing hashing,
    IOptions<UserOptions> options,
    TimeProvider time,
    ILogger<UserDirectoryGrain> logger)
    : Grain, IUserDirectoryGrain
{
    private const int MaxCachedProfiles = 100_000;
    private static readonly TimeSpan s_sweepInterval = TimeSpan.FromMinutes(10);
    private readonly UserProfileCache _profiles = new(MaxCachedProfiles);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public async Task<Outcome<UserProfile>> Register(string username, string displayName, string password)
    {
        if (!Username.TryParse(username, out var name))
        {
            return PaymentError.Validation("username", "username is 3 to 32 characters of a-z, 0-9 and _.");
        }

        if (!DisplayName.TryClean(displayName, out var cleanName, out var problem))
        {
            return PaymentError.Validation("displayName", problem);
        }

        // A taken name is answered before a hash is spent on it (the answer says it is taken anyway).
        if (await UsernameExistsAsync(name.Value))
        {
            return UsernameTaken();
        }

        using var slot = hashing.TryEnter();
        if (slot is null)
        {
            return Busy();
        }

        var iterations = hashing.Iterations;
        var hash = await slot.RunAsync(() => PasswordHasher.Hash(password, iterations));
        slot.Dispose();
        var id = UserId.New();
        string storedName;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            // PostgreSQL stores the name in NFC (.NET's normalization does nothing under invariant globalization).
            await using (var insertUser = new NpgsqlCommand(
                "INSERT INTO users (id, username, display_name, password_hash) VALUES ($1, $2, normalize($3, NFC), $4) RETURNING display_name", connection, transaction))
            {
                insertUser.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id.Value });
                insertUser.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name.Value });
                insertUser.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cleanName });
                insertUser.Parameters.Add(new NpgsqlParameter<string> { TypedValue = hash });
                storedName = (string)(await insertUser.ExecuteScalarAsync())!;
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
            return UsernameTaken();
        }

        LogRegistered(logger, id.Key);
        return new UserProfile(id.Key, name.Value, storedName);
    }

    /// <summary>
    /// A free hashing slot first (none: 503 at once, before any I/O), then the attempt is counted and the credentials
    /// read in one statement (a username that must wait: 429 TOO_MANY_ATTEMPTS or 423 ACCOUNT_LOCKED, without hashing),
    /// then the password is checked, against a decoy hash when the user is unknown so both take the same time.
    /// </summary>
    public async Task<Outcome<SessionGrant>> Login(string username, string password, string? deviceId = null)
    {
        if (!Username.TryParse(username, out var name))
        {
            return InvalidCredentials();
        }

        using var slot = hashing.TryEnter();
        if (slot is null)
        {
            return Busy();
        }

        var throttle = options.Value.LoginThrottle;
        await SweepIfDueAsync(throttle);
        var attempt = await LoginAttempts.BeginAsync(dataSource, name.Value, throttle);
        if (!attempt.Allowed)
        {
            return Refused(attempt, throttle);
        }

        var stored = attempt.PasswordHash;
        var verified = await slot.RunAsync(() => hashing.Verify(password, stored));
        slot.Dispose();
        if (attempt.UserId is not { } userId || !verified)
        {
            if (attempt.Failures >= throttle.LockAfterFailures)
            {
                LogLocked(logger, attempt.Failures);
            }

            return InvalidCredentials();
        }

        var token = SessionTokens.NewToken();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(LoginAttempts.Succeeded(name.Value));
        // Bound to a device only if it is the user's and not lost: otherwise no row, and the answer is NOT_FOUND.
        var insertSession = new NpgsqlBatchCommand(
            """
            INSERT INTO sessions (token_hash, user_id, expires_at, device_id)
            SELECT $1, $2, $3, $4 WHERE $4::text IS NULL OR EXISTS (SELECT 1 FROM devices WHERE id = $4 AND user_id = $2 AND status = 'active')
            """);
        insertSession.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SessionTokenFormat.KeyOf(token) });
        insertSession.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        insertSession.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = time.GetUtcNow().UtcDateTime + options.Value.SessionLifetime });
        insertSession.Parameters.Add(BatchCommands.Text(deviceId));
        batch.BatchCommands.Add(insertSession);
        await batch.ExecuteNonQueryAsync();
        return insertSession.RecordsAffected == 1
            ? new SessionGrant(token, userId.ToString("D"))
            : new PaymentError(ErrorCodes.NotFound, "No such device.", "deviceId");
    }

    private PaymentError Refused(LoginAttempt attempt, LoginThrottleOptions throttle)
    {
        var until = time.GetUtcNow().AddSeconds(attempt.WaitSeconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return attempt.Failures >= throttle.LockAfterFailures
            ? new PaymentError(
                ErrorCodes.AccountLocked,
                $"Sign-in for this username is locked after {attempt.Failures} failed attempts; try again after {until} (in {Describe(attempt.WaitSeconds)}).",
                RetryAfterSeconds: attempt.WaitSeconds)
            : new PaymentError(
                ErrorCodes.TooManyAttempts,
                $"Too many failed sign-ins for this username; try again after {until} (in {Describe(attempt.WaitSeconds)}).",
                RetryAfterSeconds: attempt.WaitSeconds);
    }

    private static string Describe(int seconds) =>
        seconds < 120 ? $"{seconds} s" : $"{(seconds + 59) / 60} min";

    private async Task SweepIfDueAsync(LoginThrottleOptions throttle)
    {
        var now = time.GetUtcNow();
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + s_sweepInterval;
        await LoginAttempts.ForgetOldAsync(dataSource, throttle);
    }

    private static PaymentError InvalidCredentials() => new(ErrorCodes.InvalidCredentials, "Unknown username or wrong password.");

    private static PaymentError UsernameTaken() => new(ErrorCodes.UsernameTaken, "That username is taken.", "username");

    private static PaymentError Busy() =>
        new(ErrorCodes.ServiceUnavailable, "Too many passwords are being checked right now; retry in a second.", RetryAfterSeconds: 1);

    public async Task<UserProfile?> Find(string userId)
    {
        if (!UserId.TryParse(userId, out var id))
        {
            return null;
        }

        if (_profiles.TryGetById(id.Key, out var cached))
        {
            return cached;
        }

        return _profiles.Remember((await QueryAsync("SELECT id, username, display_name FROM users WHERE id = $1", new NpgsqlParameter<Guid> { TypedValue = id.Value })).FirstOrDefault());
    }

    public async Task<UserProfile?> FindByUsername(string username)
    {
        if (!Username.TryParse(username, out var name))
        {
            return null;
        }

        if (_profiles.TryGetByUsername(name.Value, out var cached))
        {
            return cached;
        }

        return _profiles.Remember((await QueryAsync("SELECT id, username, display_name FROM users WHERE username = $1", new NpgsqlParameter<string> { TypedValue = name.Value })).FirstOrDefault());
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
            WHERE username LIKE $1 OR lower(display_name) LIKE normalize($1, NFC)
            ORDER BY username LIMIT $2
            """,
            new NpgsqlParameter<string> { TypedValue = prefix },
            new NpgsqlParameter<int> { TypedValue = limit });
    }

    private async Task<bool> UsernameExistsAsync(string username)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM users WHERE username = $1)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = username });
        return (bool)(await command.ExecuteScalarAsync())!;
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

    [LoggerMessage(2, LogLevel.Warning, "A username is locked after {Failures} failed sign-ins")]
    private static partial void LogLocked(ILogger logger, int failures);
}
