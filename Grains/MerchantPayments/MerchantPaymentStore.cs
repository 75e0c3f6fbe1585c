using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Ledger;
using Payments.Infrastructure.Streams;
using static Payments.Infrastructure.Postgres.BatchCommands;

namespace Payments.Grains.MerchantPayments;

/// <summary>
/// The <c>merchant_payments</c> and <c>merchant_payment_events</c> tables, and each change's event on the merchant's
/// stream (<see cref="MerchantPaymentStream"/>). A change that moves money writes them as the record of its ledger
/// entry (<see cref="PaymentRecord"/>), with the other payments of its ledger batch; one that does not (a decline, a wallet payment
/// awaiting its payer) writes them with its idempotency record in one transaction (<see cref="Idempotency.IdempotencyRecordStore.SaveWithRecordAsync"/>).
/// </summary>
public sealed class MerchantPaymentStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The payments' rows and their next events, one statement per table however many payments, and each change on its
    /// merchant's stream. The event's key (payment, sequence) refuses a second writer of the same version, and the events
    /// go first, so that two changes of one payment in one statement fail on that key.
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> SaveCommands(IReadOnlyList<PaymentRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            throw new ArgumentException("Save at least one payment.", nameof(records));
        }

        return SaveCommandsOf(records);
    }

    private static IEnumerable<NpgsqlBatchCommand> SaveCommandsOf(IReadOnlyList<PaymentRecord> records)
    {
        yield return Command(
            """
            INSERT INTO merchant_payment_events (payment_id, sequence, type, actor, data, created_at)
            SELECT payment_id, sequence, type, actor, data::json, created_at
            FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS e(payment_id, sequence, type, actor, data, created_at)
            """,
            ArrayOf(records.Select(record => record.State.View.Id)),
            ArrayOf(records.Select(record => record.State.Version)),
            ArrayOf(records.Select(record => record.Change.Type)),
            ArrayOf(records.Select(record => record.Change.Actor)),
            ArrayOf(records.Select(record => JsonSerializer.Serialize(new { amount = record.Change.Amount }, PaymentsJson.Options))),
            ArrayOf(records.Select(record => record.Change.At.UtcDateTime)));

        // Signals are written with a payment's first row; later saves leave them, as they leave what never changes.
        yield return Command(
            """
            INSERT INTO merchant_payments (id, merchant_id, status, amount, currency, customer_reference, description, hold_id, view, version, created_at, updated_at,
                                           card_fingerprint, payer_user_id, client_ip, customer_country, authorization_expires_at, card_id)
            SELECT id, merchant_id, status, amount, currency, customer_reference, description, hold_id, view::json, version, created_at, updated_at,
                   card_fingerprint, payer_user_id, client_ip, customer_country, authorization_expires_at, card_id
            FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::text[], $10::int[],
                        $11::timestamptz[], $12::timestamptz[], $13::text[], $14::uuid[], $15::text[], $16::text[], $17::timestamptz[], $18::text[])
                AS p(id, merchant_id, status, amount, currency, customer_reference, description, hold_id, view, version, created_at, updated_at,
                     card_fingerprint, payer_user_id, client_ip, customer_country, authorization_expires_at, card_id)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, hold_id = excluded.hold_id, view = excluded.view, card_id = excluded.card_id,
                version = excluded.version, updated_at = excluded.updated_at, authorization_expires_at = excluded.authorization_expires_at
            """,
            ArrayOf(records.Select(record => record.State.View.Id)),
            ArrayOf(records.Select(record => record.State.View.MerchantId)),
            ArrayOf(records.Select(record => record.State.View.Status)),
            ArrayOf(records.Select(record => record.State.View.Amount)),
            ArrayOf(records.Select(record => record.State.View.Currency)),
            ArrayOf(records.Select(record => record.State.View.CustomerReference)),
            ArrayOf(records.Select(record => record.State.View.Description)),
            ArrayOf(records.Select(record => record.State.HoldId)),
            ArrayOf(records.Select(record => record.ViewJson)),
            ArrayOf(records.Select(record => record.State.Version)),
            ArrayOf(records.Select(record => record.State.View.CreatedAt.UtcDateTime)),
            ArrayOf(records.Select(record => record.Change.At.UtcDateTime)),
            ArrayOf(records.Select(record => record.State.Signals?.CardFingerprint)),
            ArrayOf(records.Select(record => record.State.Signals?.PayerUserId is { } payer ? Guid.Parse(payer) : (Guid?)null)),
            ArrayOf(records.Select(record => record.State.Signals?.ClientIp)),
            ArrayOf(records.Select(record => record.State.Signals?.Country)),
            ArrayOf(records.Select(record => record.State.View.AuthorizationExpiresAt?.UtcDateTime)),
            ArrayOf(records.Select(record => record.State.View.PaymentMethod.Card)));

        // The same changes on their merchants' streams (analytics, webhooks), committed with them.
        yield return StreamOutbox.AppendCommand([.. records.Select(record => OutboxMessage.Create(
            MerchantPaymentStream.Namespace, record.State.View.MerchantId, record.Change.Type,
            record.ChangedEventJson))]);
    }

    public async Task<PaymentState?> LoadAsync(string paymentId)
    {
        await using var command = dataSource.CreateCommand("SELECT view, hold_id, version FROM merchant_payments WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = paymentId });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var view = JsonSerializer.Deserialize<PaymentView>(reader.GetString(0), PaymentsJson.Options)!;
        return new PaymentState(view, reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetInt32(2));
    }

    /// <summary>Ids of the merchant's uncaptured authorizations past their expiry (at most <paramref name="limit"/>), and whether any uncaptured one is left at all.</summary>
    public async Task<(List<string> Expired, bool AnyAuthorized)> AuthorizationsToExpireAsync(string merchantId, DateTimeOffset now, int limit)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id FROM merchant_payments WHERE merchant_id = $1 AND status = 'requires_capture' AND authorization_expires_at <= $2
            ORDER BY authorization_expires_at LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var expired = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                expired.Add(reader.GetString(0));
            }
        }

        await using var any = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM merchant_payments WHERE merchant_id = $1 AND status = 'requires_capture')");
        any.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        return (expired, (bool)(await any.ExecuteScalarAsync())!);
    }

    public async Task<List<PaymentEventView>> EventsAsync(string paymentId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT sequence, type, actor, (data->>'amount')::bigint, created_at FROM merchant_payment_events WHERE payment_id = $1 ORDER BY sequence");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = paymentId });
        var events = new List<PaymentEventView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(new PaymentEventView(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return events;
    }

    /// <summary>
    /// A merchant's payments, newest first, filtered; one row more than the limit says whether more follow. A creation
    /// window is filtered as the range of ids it is (a payment's creation time is its id's), so any window is a range
    /// scan of the merchant's id index, not a walk from the newest payment back to it.
    /// </summary>
    public async Task<List<PaymentView>> ListAsync(string merchantId, PaymentFilter filter, int limit, string? startingAfter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var command = dataSource.CreateCommand(
            """
            SELECT view FROM merchant_payments
            WHERE merchant_id = $1 AND ($2::text IS NULL OR id < $2)
              AND ($3::text IS NULL OR status = $3)
              AND ($4::text IS NULL OR id >= $4) AND ($5::text IS NULL OR id < $5)
              AND ($6::bigint IS NULL OR amount >= $6) AND ($7::bigint IS NULL OR amount <= $7)
              AND ($8::text IS NULL OR currency = $8)
              AND ($9::text IS NULL OR customer_reference = $9)
              AND ($10::text IS NULL OR starts_with(id, $10) OR strpos(lower(description), lower($10)) > 0)
            ORDER BY id DESC LIMIT $11
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        command.Parameters.Add(Nullable(startingAfter, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(filter.Status, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(filter.CreatedFrom is { } from ? PrefixedId.FirstAtOrAfter(PrefixedId.Payment, from) : null, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(filter.CreatedBefore is { } before ? PrefixedId.FirstAtOrAfter(PrefixedId.Payment, before) : null, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(filter.AmountFrom, NpgsqlDbType.Bigint));
        command.Parameters.Add(Nullable(filter.AmountTo, NpgsqlDbType.Bigint));
        command.Parameters.Add(Nullable(filter.Currency, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(filter.CustomerReference, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(filter.Query, NpgsqlDbType.Text));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var payments = new List<PaymentView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            payments.Add(JsonSerializer.Deserialize<PaymentView>(reader.GetString(0), PaymentsJson.Options)!);
        }

        return payments;
    }

    /// <summary>The wallet payments <paramref name="payer"/> pays, newest first, with their merchants' names; one row more than the limit says whether more follow.</summary>
    public async Task<List<WalletPaymentView>> ListForPayerAsync(Guid payer, string? status, int limit, string? startingAfter)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT p.view, m.name FROM merchant_payments p JOIN merchants m ON m.id = p.merchant_id
            WHERE p.payer_user_id = $1 AND ($2::text IS NULL OR p.status = $2) AND ($3::text IS NULL OR p.id < $3)
            ORDER BY p.id DESC LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = payer });
        command.Parameters.Add(Nullable(status, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(startingAfter, NpgsqlDbType.Text));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var payments = new List<WalletPaymentView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var view = JsonSerializer.Deserialize<PaymentView>(reader.GetString(0), PaymentsJson.Options)!;
            payments.Add(new WalletPaymentView(
                view.Id, view.MerchantId, reader.GetString(1), view.Status, view.Amount, view.AmountCaptured, view.AmountRefunded, view.Currency, view.Description, view.CreatedAt));
        }

        return payments;
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}

/// <summary>
/// A payment as its grain holds it: the view, the ledger hold behind it, and the version of its row. <c>Signals</c>
/// are what its fraud score was computed from, written with its first row (later saves leave them as they are).
/// </summary>
public sealed record PaymentState(PaymentView View, Guid? HoldId, int Version, PaymentSignals? Signals = null);

/// <summary>What later payments' fraud rules count this one by: its card's fingerprint or wallet user, and the customer's address and country.</summary>
public sealed record PaymentSignals(string? CardFingerprint, string? PayerUserId, string? ClientIp, string? Country);

/// <summary>One change of a payment, as its event row records it.</summary>
public sealed record PaymentChange(string Type, string Actor, long? Amount, DateTimeOffset At);

/// <summary>A payment's state after a change, and the change: its row, event and stream event, written with the change's ledger entry.</summary>
public sealed class PaymentRecord : ILedgerRecord
{
    /// <remarks>
    /// The JSON is serialized here, by the grain that makes the change, not by the ledger committer: the committer
    /// writes a batch while it holds the batch's account locks, and every other batch waits for it.
    /// </remarks>
    public PaymentRecord(PaymentState state, PaymentChange change)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(change);
        State = state;
        Change = change;
        ViewJson = JsonSerializer.Serialize(state.View, PaymentsJson.Options);
        ChangedEventJson = JsonSerializer.Serialize(new PaymentChangedJson(change.Type, change.Amount, change.At, state.Version, ViewJson), PaymentsJson.Options);
    }

    public PaymentState State { get; }

    public PaymentChange Change { get; }

    /// <summary>The payment's view as JSON, serialized once for its row, its stream event and the answer to its request.</summary>
    public string ViewJson { get; }

    /// <summary>The change as its merchant's stream carries it (a <see cref="PaymentChangedEvent"/>).</summary>
    public string ChangedEventJson { get; }

    public IEnumerable<NpgsqlBatchCommand> WriteCommands(IReadOnlyList<ILedgerRecord> sameType) =>
        MerchantPaymentStore.SaveCommands([.. sameType.Cast<PaymentRecord>()]);
}
