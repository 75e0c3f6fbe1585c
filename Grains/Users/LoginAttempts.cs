using Npgsql;
using NpgsqlTypes;

namespace Payments.Grains.Users;

/// <summary>What <see cref="LoginAttempts.BeginAsync"/> found: the attempt may go on (with the user's credentials, if any), or must wait.</summary>
public sealed record LoginAttempt(bool Allowed, Guid? UserId, string? PasswordHash, int Failures, int WaitSeconds);

/// <summary>
/// The failed sign-in count per username, in PostgreSQL (table <c>login_attempts</c>), so every silo sees the same
/// count and a restart forgets nothing. Kept per username whether or not a user has it, so a made-up name and a real
/// one are answered alike.
/// </summary>
public static class LoginAttempts
{
    /// <summary>
    /// In one statement: counts this attempt as a failure unless the username must still wait, and reads the user's
    /// credentials. Counting before the password is checked means parallel guesses cannot all pass through one free
    /// slot; a right password then clears the row (<see cref="SucceededAsync"/>).
    /// </summary>
    public static async Task<LoginAttempt> BeginAsync(NpgsqlDataSource dataSource, string username, LoginThrottleOptions throttle)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(throttle);
        await using var command = dataSource.CreateCommand(
            """
            WITH previous AS (
                SELECT failures, not_before FROM login_attempts WHERE username = $1),
            attempt AS (
                INSERT INTO login_attempts AS a (username, failures, not_before, last_failure_at)
                VALUES ($1, 1, now() + CASE WHEN 1 >= $3 THEN $5 WHEN 1 > $2 THEN $4 ELSE interval '0' END, now())
                ON CONFLICT (username) DO UPDATE
                SET (failures, not_before, last_failure_at) = (
                    SELECT n, now() + CASE WHEN n >= $3 THEN $5 WHEN n > $2 THEN $4 * power(2, n - $2 - 1) ELSE interval '0' END, now()
                    FROM (SELECT CASE WHEN a.last_failure_at < now() - $6 THEN 1 ELSE a.failures + 1 END AS n) counted)
                WHERE a.not_before <= now()
                RETURNING failures)
            SELECT (SELECT failures FROM attempt),
                   (SELECT failures FROM previous),
                   (SELECT ceil(extract(epoch FROM not_before - now()))::integer FROM previous),
                   u.id, u.password_hash
            FROM (SELECT 1) AS one LEFT JOIN users u ON u.username = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = username });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = throttle.FreeFailures });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = throttle.LockAfterFailures });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = throttle.FirstDelay, NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = throttle.LockDuration, NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = throttle.ForgetAfter, NpgsqlDbType = NpgsqlDbType.Interval });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var userId = reader.IsDBNull(3) ? (Guid?)null : reader.GetGuid(3);
        var hash = reader.IsDBNull(4) ? null : reader.GetString(4);
        if (!reader.IsDBNull(0))
        {
            return new LoginAttempt(true, userId, hash, reader.GetInt32(0), 0);
        }

        // Refused: still waiting after earlier failures. (A row another attempt created a moment ago is not in this
        // statement's snapshot: then say one second.)
        var failures = reader.IsDBNull(1) ? throttle.FreeFailures + 1 : reader.GetInt32(1);
        var wait = reader.IsDBNull(2) ? 1 : Math.Max(1, reader.GetInt32(2));
        return new LoginAttempt(false, null, null, failures, wait);
    }

    /// <summary>The right password: the count starts over.</summary>
    public static NpgsqlBatchCommand Succeeded(string username)
    {
        var command = new NpgsqlBatchCommand("DELETE FROM login_attempts WHERE username = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = username });
        return command;
    }

    /// <summary>Deletes rows whose last failure is older than <see cref="LoginThrottleOptions.ForgetAfter"/> and that hold no wait.</summary>
    public static async Task<int> ForgetOldAsync(NpgsqlDataSource dataSource, LoginThrottleOptions throttle)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(throttle);
        await using var command = dataSource.CreateCommand("DELETE FROM login_attempts WHERE last_failure_at < now() - $1 AND not_before < now()");
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = throttle.ForgetAfter, NpgsqlDbType = NpgsqlDbType.Interval });
        return await command.ExecuteNonQueryAsync();
    }
}
