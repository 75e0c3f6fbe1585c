namespace Payments.Grains.Fraud;

/// <summary>
/// The rules and their weights. Counts are of earlier payments (the one being scored is not among them). Points add
/// up, capped at 100. Each rule that fires names itself in the payment's reasons.
/// </summary>
public static class FraudRules
{
    /// <summary>An amount at or below this (minor units) counts as a probe in card-testing patterns.</summary>
    public const long SmallAmount = 200;

    public static IReadOnlyList<(string Reason, int Points)> Evaluate(FraudInput input, FraudSignals signals)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(signals);
        var reasons = new List<(string, int)>();
        void When(bool condition, string reason, int points)
        {
            if (condition)
            {
                reasons.Add((reason, points));
            }
        }

        // Velocity: the same card, wallet, address or customer paying again and again.
        When(signals.CardLastMinute >= 3, "velocity_card_minute", 35);
        When(signals.CardLastHour >= 10, "velocity_card_hour", 25);
        When(signals.WalletLastMinute >= 3, "velocity_wallet_minute", 35);
        When(signals.WalletLastHour >= 10, "velocity_wallet_hour", 25);
        When(signals.IpLastMinute >= 5, "velocity_ip_minute", 30);
        When(signals.IpLastHour >= 20, "velocity_ip_hour", 20);
        When(signals.CustomerLastMinute >= 3, "velocity_customer_minute", 25);
        When(signals.CustomerLastHour >= 10, "velocity_customer_hour", 15);

        // Amounts far above what this payer, or this merchant's customers, usually pay.
        When(signals.PayerPayments >= 3 && input.Amount > 5 * signals.PayerAverageAmount, "amount_anomaly_payer", 25);
        When(signals.MerchantPayments >= 20 && input.Amount > 10 * signals.MerchantAverageAmount, "amount_anomaly_merchant", 20);

        // A known payer from somewhere new.
        When(input.Country is not null && signals.PayerCountries > 0 && !signals.PayerSeenCountry, "new_country", 15);
        When(input.ClientIp is not null && signals.PayerAddresses > 0 && !signals.PayerSeenAddress, "new_ip", 10);

        // Card testing: declines, or many tiny probes, from one card or one address.
        When(signals.DeclinedLastHour >= 3, "card_testing_declines", 50);
        When(signals.SmallLastHour >= 5 && input.Amount <= SmallAmount, "card_testing_small_amounts", 30);
        return reasons;
    }
}

/// <summary>Counts and averages from earlier payments (<see cref="FraudScorer"/>).</summary>
public sealed record FraudSignals(
    long CardLastMinute,
    long CardLastHour,
    long WalletLastMinute,
    long WalletLastHour,
    long IpLastMinute,
    long IpLastHour,
    long CustomerLastMinute,
    long CustomerLastHour,
    long DeclinedLastHour,
    long SmallLastHour,
    long PayerPayments,
    long PayerAverageAmount,
    long PayerCountries,
    bool PayerSeenCountry,
    long PayerAddresses,
    bool PayerSeenAddress,
    long MerchantPayments,
    long MerchantAverageAmount);
