using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Npgsql;
using Payments.Grains.Batching;
using Payments.Grains.Interfaces.Fraud;
using static Payments.Infrastructure.Postgres.BatchCommands;

namespace Payments.Grains.Fraud;

/// <summary>
/// Scores a payment before authorization: signals from the payments of the last hour and the payer's last 90 days
/// (read together with those of the other payments being scored, <see cref="BatchedReader{TRequest, TResult}"/>), the
/// merchant's usual ticket (<see cref="UsualTickets"/>), the rules of <see cref="FraudRules"/>, then the merchant's lists
/// and thresholds. Scores and reasons are counted in the <c>Payments.Fraud</c> meter.
/// </summary>
public sealed class FraudScorer : IAsyncDisposable
{
    /// <summary>
    /// The scorer's pool (see <see cref="Payments.Infrastructure.Postgres.PostgresServiceCollectionExtensions.AddDedicatedDataSource"/>): its
    /// statements run their generic plans and its connections skip the reset. On the shared pool PostgreSQL went on
    /// planning half of the scoring queries (their custom plans looked cheaper than the generic one, which is as good),
    /// and every scoring paid the pool's seven-statement reset: together more server time than running them.
    /// </summary>
    public const string DataSourceKey = "fraud";

    public const string MeterName = "Payments.Fraud";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Histogram<int> s_scores = s_meter.CreateHistogram<int>("fraud.score", description: "Fraud scores of payments, by outcome.");
    private static readonly Counter<long> s_reasons = s_meter.CreateCounter<long>("fraud.reasons", description: "Fraud rules that fired, by reason.");

    private readonly NpgsqlDataSource _dataSource;
    private readonly UsualTickets _usualTickets;
    private readonly TimeProvider _time;
    private readonly BatchedReader<FraudInput, FraudSignals> _history;

    public FraudScorer([FromKeyedServices(DataSourceKey)] NpgsqlDataSource dataSource, UsualTickets usualTickets, TimeProvider time)
    {
        _dataSource = dataSource;
        _usualTickets = usualTickets;
        _time = time;
        // Payments score concurrently; their reads share statements (at most 128 payments each, two in flight).
        _history = new BatchedReader<FraudInput, FraudSignals>(maxBatchSize: 128, capacity: 10_000, readers: 2, ReadHistoryAsync);
    }

    public async Task<FraudView> AssessAsync(FraudInput input, FraudSettings settings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        var view = Listed(input, settings) ?? Score(input, settings, await SignalsAsync(input));
        s_scores.Record(view.Score, new KeyValuePair<string, object?>("outcome", view.Outcome));
        foreach (var reason in view.Reasons)
        {
            s_reasons.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }

        return view;
    }

    public ValueTask DisposeAsync() => _history.DisposeAsync();

    private static FraudView Score(FraudInput input, FraudSettings settings, FraudSignals signals)
    {
        var fired = FraudRules.Evaluate(input, signals);
        var score = Math.Min(100, fired.Sum(rule => rule.Points));
        return new FraudView(score, Outcome(score, settings), [.. fired.Select(rule => rule.Reason)]);
    }

    /// <summary>A listed payer skips the rules: the block list wins over the allow list.</summary>
    private static FraudView? Listed(FraudInput input, FraudSettings settings)
    {
        string?[] keys =
        [
            input.CardFingerprint is null ? null : $"card:{input.CardFingerprint}",
            input.ClientIp is null ? null : $"ip:{input.ClientIp}",
            input.CustomerReference is null ? null : $"customer:{input.CustomerReference}",
            input.PayerUserId is null ? null : $"user:{input.PayerUserId}",
            input.Country is null ? null : $"country:{input.Country}",
        ];
        if (keys.Any(key => key is not null && settings.BlockList.Contains(key)))
        {
            return new FraudView(100, FraudOutcomes.Block, ["block_listed"]);
        }

        return keys.Any(key => key is not null && settings.AllowList.Contains(key)) ? new FraudView(0, FraudOutcomes.Allow, ["allow_listed"]) : null;
    }

    private static string Outcome(int score, FraudSettings settings) =>
        score >= settings.BlockThreshold ? FraudOutcomes.Block : score >= settings.ReviewThreshold ? FraudOutcomes.Review : FraudOutcomes.Allow;

    private async Task<FraudSignals> SignalsAsync(FraudInput input)
    {
        var usualTicket = _usualTickets.GetAsync(input.MerchantId, input.Currency);
        var history = await _history.ReadAsync(input);
        var usual = await usualTicket;
        return history with { MerchantPayments = usual.Payments, MerchantAverageAmount = usual.Average };
    }

    /// <summary>
    /// The payer signals of a batch of payments in one statement: for each, its last hour of payments by the same card,
    /// wallet user, address or customer, and the payer's last 90 days of payments that went through in its currency.
    /// An absent key (a card payment has no wallet user) probes its index with NULL and finds nothing at once, so every
    /// payment gets the same plan: a bitmap of index probes per key, no scan of the last hour.
    /// </summary>
    private async Task<IReadOnlyList<FraudSignals>> ReadHistoryAsync(IReadOnlyList<FraudInput> inputs)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        await using var command = _dataSource.CreateCommand(
            """
            SELECT r.*, h.*
            FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
                AS i(card, payer, ip, merchant, customer, country, currency, n)
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE p.card_fingerprint = i.card AND p.created_at > $8 - interval '1 minute'),
                       count(*) FILTER (WHERE p.card_fingerprint = i.card),
                       count(*) FILTER (WHERE p.payer_user_id = i.payer AND p.created_at > $8 - interval '1 minute'),
                       count(*) FILTER (WHERE p.payer_user_id = i.payer),
                       count(*) FILTER (WHERE p.client_ip = i.ip AND p.created_at > $8 - interval '1 minute'),
                       count(*) FILTER (WHERE p.client_ip = i.ip),
                       count(*) FILTER (WHERE p.merchant_id = i.merchant AND p.customer_reference = i.customer AND p.created_at > $8 - interval '1 minute'),
                       count(*) FILTER (WHERE p.merchant_id = i.merchant AND p.customer_reference = i.customer),
                       count(*) FILTER (WHERE p.status = 'failed' AND (p.card_fingerprint = i.card OR p.client_ip = i.ip)),
                       count(*) FILTER (WHERE p.amount <= $9 AND (p.card_fingerprint = i.card OR p.client_ip = i.ip))
                FROM merchant_payments p
                WHERE p.created_at > $8 - interval '1 hour'
                  AND (p.card_fingerprint = i.card OR p.payer_user_id = i.payer OR p.client_ip = i.ip
                       OR (p.merchant_id = i.merchant AND p.customer_reference = i.customer))) AS r
            CROSS JOIN LATERAL (
                SELECT count(*), coalesce(avg(p.amount), 0)::bigint, count(p.customer_country), coalesce(bool_or(p.customer_country = i.country), false),
                       count(p.client_ip), coalesce(bool_or(p.client_ip = i.ip), false)
                FROM merchant_payments p
                WHERE (p.card_fingerprint = i.card OR p.payer_user_id = i.payer)
                  AND p.created_at > $8 - interval '90 days' AND p.status <> 'failed' AND p.currency = i.currency) AS h
            ORDER BY i.n
            """);
        command.Parameters.Add(ArrayOf(inputs.Select(input => input.CardFingerprint)));
        command.Parameters.Add(ArrayOf(inputs.Select(input => input.PayerUserId is { } payer ? Guid.Parse(payer) : (Guid?)null)));
        command.Parameters.Add(ArrayOf(inputs.Select(input => input.ClientIp)));
        command.Parameters.Add(ArrayOf(inputs.Select(input => input.MerchantId)));
        command.Parameters.Add(ArrayOf(inputs.Select(input => input.CustomerReference)));
        command.Parameters.Add(ArrayOf(inputs.Select(input => input.Country)));
        command.Parameters.Add(ArrayOf(inputs.Select(input => input.Currency)));
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = FraudRules.SmallAmount });
        var signals = new List<FraudSignals>(inputs.Count);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            signals.Add(new FraudSignals(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7),
                reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12), reader.GetBoolean(13), reader.GetInt64(14), reader.GetBoolean(15),
                MerchantPayments: 0, MerchantAverageAmount: 0));
        }

        return signals;
    }

}
