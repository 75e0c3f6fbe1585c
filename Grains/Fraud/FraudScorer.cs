using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces.Fraud;
using static Payments.Infrastructure.Postgres.BatchCommands;

namespace Payments.Grains.Fraud;

/// <summary>
/// Scores a payment before authorization: signals from the payments of the last hour and the payer's last 90 days in
/// one round trip, the merchant's usual ticket (<see cref="UsualTickets"/>), the rules of <see cref="FraudRules"/>, then the
/// merchant's lists and thresholds. Scores and reasons are counted in the <c>Payments.Fraud</c> meter.
/// </summary>
public sealed class FraudScorer([FromKeyedServices(FraudScorer.DataSourceKey)] NpgsqlDataSource dataSource, UsualTickets usualTickets, TimeProvider time)
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
        // Only the keys this payment has go into the WHERE clauses, so each one is an index probe; a clause for an
        // absent key would leave the planner a scan of the whole last hour.
        var who = new List<string>(4);
        var payer = new List<string>(2);
        if (input.CardFingerprint is not null)
        {
            who.Add("card_fingerprint = $2");
            payer.Add("card_fingerprint = $1");
        }

        if (input.PayerUserId is not null)
        {
            who.Add("payer_user_id = $3");
            payer.Add("payer_user_id = $2");
        }

        if (input.ClientIp is not null)
        {
            who.Add("client_ip = $4");
        }

        if (input.CustomerReference is not null)
        {
            who.Add("(merchant_id = $5 AND customer_reference = $6)");
        }

        var usualTicket = usualTickets.GetAsync(input.MerchantId, input.Currency);
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(
                    // The last hour of payments by this card, wallet user, address or customer.
                    $"""
                    WITH recent AS (
                        SELECT created_at > $1 - interval '1 minute' AS last_minute, status, amount, card_fingerprint, payer_user_id, client_ip,
                               merchant_id = $5 AND customer_reference = $6 AS same_customer
                        FROM merchant_payments
                        WHERE created_at > $1 - interval '1 hour' AND ({string.Join(" OR ", who)}))
                    SELECT count(*) FILTER (WHERE card_fingerprint = $2 AND last_minute), count(*) FILTER (WHERE card_fingerprint = $2),
                           count(*) FILTER (WHERE payer_user_id = $3 AND last_minute), count(*) FILTER (WHERE payer_user_id = $3),
                           count(*) FILTER (WHERE client_ip = $4 AND last_minute), count(*) FILTER (WHERE client_ip = $4),
                           count(*) FILTER (WHERE same_customer AND last_minute), count(*) FILTER (WHERE same_customer),
                           count(*) FILTER (WHERE status = 'failed' AND (card_fingerprint = $2 OR client_ip = $4)),
                           count(*) FILTER (WHERE amount <= $7 AND (card_fingerprint = $2 OR client_ip = $4))
                    FROM recent
                    """,
                    Timestamp(now), Text(input.CardFingerprint), Uuid(input.PayerUserId), Text(input.ClientIp), Text(input.MerchantId), Text(input.CustomerReference),
                    new NpgsqlParameter<long> { TypedValue = FraudRules.SmallAmount }),
                Command(
                    // The payer's (card's or wallet user's) last 90 days of payments that went through, in this currency.
                    $"""
                    SELECT count(*), coalesce(avg(amount), 0)::bigint, count(customer_country), coalesce(bool_or(customer_country = $4), false),
                           count(client_ip), coalesce(bool_or(client_ip = $5), false)
                    FROM merchant_payments
                    WHERE ({string.Join(" OR ", payer)})
                      AND created_at > $3 - interval '90 days' AND status <> 'failed' AND currency = $6
                    """,
                    Text(input.CardFingerprint), Uuid(input.PayerUserId), Timestamp(now), Text(input.Country), Text(input.ClientIp), Text(input.Currency)),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        var recent = Enumerable.Range(0, 10).Select(reader.GetInt64).ToArray();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        var (payerPayments, payerAverage, payerCountries, seenCountry, payerAddresses, seenAddress) =
            (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetBoolean(3), reader.GetInt64(4), reader.GetBoolean(5));
        var usual = await usualTicket;
        return new FraudSignals(
            recent[0], recent[1], recent[2], recent[3], recent[4], recent[5], recent[6], recent[7], recent[8], recent[9],
            payerPayments, payerAverage, payerCountries, seenCountry, payerAddresses, seenAddress, usual.Payments, usual.Average);
    }

    private static NpgsqlParameter Uuid(string? id) => new() { Value = id is null ? DBNull.Value : Guid.Parse(id), NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter<DateTime> Timestamp(DateTime instant) => new() { TypedValue = instant };
}
