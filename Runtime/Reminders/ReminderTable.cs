using System.Diagnostics;
using Npgsql;

namespace Orleans.Payments.Runtime.Reminders;

/// <summary>A reminder that came due and was claimed by this silo; <paramref name="NextDue"/> is its due time after the claim.</summary>
internal sealed record DueReminder(GrainId Grain, string Name, TimeSpan Period, DateTime NextDue)
{
    public bool IsOneShot => Period == TimeSpan.Zero;
}

/// <summary>The reminders table: register, unregister, and claim what is due.</summary>
public sealed class ReminderTable(NpgsqlDataSource dataSource)
{
    public const int MaxClaimedPerRound = 1_000;

    public async Task RegisterAsync(GrainId grain, string name, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO reminders (grain_type, grain_key, name, next_due, period_ms)
            VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond', $5)
            ON CONFLICT (grain_type, grain_key, name) DO UPDATE SET next_due = EXCLUDED.next_due, period_ms = EXCLUDED.period_ms
            """);
        AddKey(command, grain, name);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)dueTime.TotalMilliseconds });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)period.TotalMilliseconds });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UnregisterAsync(GrainId grain, string name, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM reminders WHERE grain_type = $1 AND grain_key = $2 AND name = $3");
        AddKey(command, grain, name);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Claims due reminders: periodic ones move to their next due time (past now, skipping missed periods), one-shot
    /// ones to <paramref name="oneShotRetryDelay"/> from now, until <see cref="CompleteOneShotAsync"/> deletes them.
    /// Rows another silo is claiming at the same moment are skipped, so each firing is claimed once.
    /// </summary>
    internal async Task<IReadOnlyList<DueReminder>> ClaimDueAsync(TimeSpan oneShotRetryDelay, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH due AS (
                SELECT grain_type, grain_key, name FROM reminders
                WHERE next_due <= now() ORDER BY next_due LIMIT $1 FOR UPDATE SKIP LOCKED)
            UPDATE reminders r
            SET next_due = CASE
                WHEN r.period_ms > 0 THEN r.next_due + r.period_ms * interval '1 millisecond'
                    * (floor(extract(epoch FROM (now() - r.next_due)) * 1000 / r.period_ms) + 1)
                ELSE now() + $2 * interval '1 millisecond' END
            FROM due WHERE (r.grain_type, r.grain_key, r.name) = (due.grain_type, due.grain_key, due.name)
            RETURNING r.grain_type, r.grain_key, r.name, r.period_ms, r.next_due
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = MaxClaimedPerRound });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)oneShotRetryDelay.TotalMilliseconds });
        var claimed = new List<DueReminder>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            claimed.Add(new DueReminder(
                new GrainId(reader.GetString(0), reader.GetString(1)), reader.GetString(2), TimeSpan.FromMilliseconds(reader.GetInt64(3)), reader.GetDateTime(4)));
        }

        return claimed;
    }

    /// <summary>
    /// Deletes a one-shot reminder its grain has received, unless the grain registered it again meanwhile (the due
    /// time then differs from the claim's).
    /// </summary>
    internal async Task CompleteOneShotAsync(DueReminder reminder)
    {
        Debug.Assert(reminder.IsOneShot, "Periodic reminders stay registered.");
        await using var command = dataSource.CreateCommand(
            "DELETE FROM reminders WHERE grain_type = $1 AND grain_key = $2 AND name = $3 AND period_ms = 0 AND next_due = $4");
        AddKey(command, reminder.Grain, reminder.Name);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = reminder.NextDue });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static void AddKey(NpgsqlCommand command, GrainId grain, string name)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Type });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
    }
}
