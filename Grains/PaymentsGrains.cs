using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Payments.Grains.Acquiring;
using Payments.Grains.Analytics;
using Payments.Grains.Banking;
using Payments.Grains.CardNetworks;
using Payments.Grains.CardWallet;
using Payments.Grains.Commerce;
using Payments.Grains.Commerce.Fulfilment;
using Payments.Grains.Errors;
using Payments.Grains.Feed;
using Payments.Grains.Fraud;
using Payments.Grains.Friends;
using Payments.Grains.Idempotency;
using Payments.Grains.Ledger;
using Payments.Grains.MerchantPayments;
using Payments.Grains.Merchants;
using Payments.Grains.Notifications;
using Payments.Grains.Payouts;
using Payments.Grains.Reconciliation;
using Payments.Grains.Settlements;
using Payments.Grains.Requests;
using Payments.Grains.Users;
using Payments.Grains.Wallets;
using Payments.Grains.Webhooks;
using Payments.Infrastructure.Postgres;

namespace Payments.Grains;

/// <summary>Registers the payment domain's services next to its grains (the silo hosts this assembly's grain classes).</summary>
public static class PaymentsGrains
{
    /// <summary>The ADO.NET grain storage of grains that keep Orleans-managed state: the stock grains' transactional state.</summary>
    public const string GrainStorageName = "payments";

    public static IServiceCollection AddPaymentsDomain(this IServiceCollection services)
    {
        services.AddSingleton<IIncomingGrainCallFilter, ConstraintViolationFilter>();
        services.AddOptions<WalletOptions>().BindConfiguration(WalletOptions.SectionName)
            .Validate(options => options.DailySendLimit > 0, $"{WalletOptions.SectionName}:{nameof(WalletOptions.DailySendLimit)} must be positive.")
            .Validate(
                options => options.InstantCashOutFeeBasisPoints is >= 0 and <= 10_000 && options.InstantCashOutMinFee >= 0 && options.InstantCashOutMaxFee >= options.InstantCashOutMinFee,
                $"{WalletOptions.SectionName}: InstantCashOutFeeBasisPoints is 0-10,000, and 0 <= InstantCashOutMinFee <= InstantCashOutMaxFee.")
            .ValidateOnStart();
        services.AddOptions<UserOptions>().BindConfiguration(UserOptions.SectionName)
            .Validate(options => options.PasswordHashIterations is >= 1_000 and <= 10_000_000, $"{UserOptions.SectionName}:{nameof(UserOptions.PasswordHashIterations)} must be between 1,000 and 10,000,000.")
            .Validate(options => options.SessionLifetime > TimeSpan.Zero, $"{UserOptions.SectionName}:{nameof(UserOptions.SessionLifetime)} must be positive.")
            .Validate(options => options.MaxConcurrentPasswordHashes is >= 0 and <= 1_024, $"{UserOptions.SectionName}:{nameof(UserOptions.MaxConcurrentPasswordHashes)} must be between 0 (the core count) and 1,024.")
            .Validate(
                options => options.LoginThrottle is { FreeFailures: >= 0, LockAfterFailures: >= 1 } throttle && throttle.LockAfterFailures > throttle.FreeFailures
                    && throttle.FirstDelay > TimeSpan.Zero && throttle.LockDuration >= throttle.FirstDelay && throttle.ForgetAfter >= throttle.LockDuration,
                $"{UserOptions.SectionName}:{nameof(UserOptions.LoginThrottle)}: LockAfterFailures must exceed FreeFailures, and 0 < FirstDelay <= LockDuration <= ForgetAfter.")
            .ValidateOnStart();
        services.AddSingleton<PasswordHashing>();
        services.AddOptions<LedgerWriterOptions>().BindConfiguration(LedgerWriterOptions.SectionName)
            .Validate(options => options.MaxBatchSize is >= 1 and <= 10_000, $"{LedgerWriterOptions.SectionName}:{nameof(LedgerWriterOptions.MaxBatchSize)} must be between 1 and 10,000.")
            .Validate(options => options.MaxBatchesAwaitingFlush is >= 1 and <= 1_024, $"{LedgerWriterOptions.SectionName}:{nameof(LedgerWriterOptions.MaxBatchesAwaitingFlush)} must be between 1 and 1,024.")
            .Validate(options => options.QueueCapacity >= options.MaxBatchSize, $"{LedgerWriterOptions.SectionName}:{nameof(LedgerWriterOptions.QueueCapacity)} must be at least the batch size.")
            .Validate(options => options.IdempotencyRetention >= TimeSpan.FromHours(1), $"{LedgerWriterOptions.SectionName}:{nameof(LedgerWriterOptions.IdempotencyRetention)} must be at least one hour.")
            .ValidateOnStart();
        services.AddOptions<SimulatedBankOptions>().BindConfiguration(SimulatedBankOptions.SectionName)
            .Validate(options => options.FailureRate is >= 0 and <= 1, $"{SimulatedBankOptions.SectionName}:{nameof(SimulatedBankOptions.FailureRate)} is between 0 and 1.")
            .ValidateOnStart();

        services.AddDedicatedDataSource(LedgerBatchCommitter.DataSourceKey).AddSingleton<LedgerBatchCommitter>();
        services.AddSingleton(provider => new LedgerSiloFence(
            provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId,
            provider.GetRequiredService<ILocalSiloDetails>().SiloAddress));
        services.AddWalFlushBarrier();
        services.AddSingleton<LedgerWriter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<LedgerWriter>());
        services.AddSingleton<IdempotencyRecordJanitor>();
        services.AddHostedService(provider => provider.GetRequiredService<IdempotencyRecordJanitor>());
        services.AddSingleton<WalletStore>();
        services.AddDedicatedDataSource(IdempotencyRecordStore.DataSourceKey).AddSingleton<IdempotencyRecordStore>();
        services.AddOptions<BankResilienceOptions>().BindConfiguration(BankResilienceOptions.SectionName)
            .Validate(options => options.Problem() is null, $"{BankResilienceOptions.SectionName}: MaxRetries 0-10, BreakFailureRatio in (0, 1], BreakMinimumCalls >= 2, AttemptTimeout > 0, BreakDuration >= 0.5 s.")
            .ValidateOnStart();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName)
            .Validate(options => options.Problem() is null, $"{WebhookOptions.SectionName}: RetrySchedule 1-20 delays of 0-3 days, RetryJitter 0-0.5, Timeout (0, 1 min], MaxConcurrentDeliveries 1-256, DisableAfterFailingFor > 0, RolledSecretOverlap 0-7 days, MaxEndpointsPerMerchant 1-100, SecretEncryptionKey the base64 of 32 bytes.")
            .ValidateOnStart();
        services.AddSingleton<WebhookSecretProtector>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookAttemptLog>();
        services.AddOptions<PaymentRequestOptions>().BindConfiguration(PaymentRequestOptions.SectionName)
            .Validate(options => options.Expiry >= TimeSpan.FromSeconds(1) && options.Expiry <= TimeSpan.FromDays(365), $"{PaymentRequestOptions.SectionName}:{nameof(PaymentRequestOptions.Expiry)} is between 1 second and 365 days.")
            .Validate(options => options.SettleRetryInterval >= TimeSpan.FromSeconds(1) && options.SettleRetryInterval <= TimeSpan.FromHours(1), $"{PaymentRequestOptions.SectionName}:{nameof(PaymentRequestOptions.SettleRetryInterval)} is between 1 second and 1 hour.")
            .ValidateOnStart();
        services.AddSingleton<PaymentRequestStore>();
        services.AddSingleton<FriendStore>();
        services.AddSingleton<FeedStore>();
        services.AddOptions<PayoutOptions>().BindConfiguration(PayoutOptions.SectionName)
            .Validate(options => options.RetryInterval >= TimeSpan.FromSeconds(1) && options.RetryInterval <= TimeSpan.FromDays(1), $"{PayoutOptions.SectionName}:{nameof(PayoutOptions.RetryInterval)} is between 1 second and 1 day.")
            .ValidateOnStart();
        services.AddSingleton<PayoutStore>();
        services.AddOptions<SettlementOptions>().BindConfiguration(SettlementOptions.SectionName)
            .Validate(options => options.HourUtc is >= 0 and <= 23, $"{SettlementOptions.SectionName}:{nameof(SettlementOptions.HourUtc)} is between 0 and 23.")
            .Validate(options => options.Delay >= TimeSpan.Zero && options.Delay <= TimeSpan.FromDays(30), $"{SettlementOptions.SectionName}:{nameof(SettlementOptions.Delay)} is between 0 and 30 days.")
            .Validate(options => options.CommitMargin >= TimeSpan.FromSeconds(1), $"{SettlementOptions.SectionName}:{nameof(SettlementOptions.CommitMargin)} is at least 1 second.")
            .Validate(options => options.PayoutRetryInterval >= TimeSpan.FromSeconds(1) && options.PayoutRetryInterval <= TimeSpan.FromDays(1), $"{SettlementOptions.SectionName}:{nameof(SettlementOptions.PayoutRetryInterval)} is between 1 second and 1 day.")
            .ValidateOnStart();
        services.AddSingleton<SettlementStore>();
        services.AddOptions<CommerceOptions>().BindConfiguration(CommerceOptions.SectionName)
            .Validate(options => options.Problem() is null, $"{CommerceOptions.SectionName}: ListingCacheDuration 0-1 min, StepAttempts and CompensationAttempts 1-100, RetryDelay >= 10 ms <= MaxRetryDelay <= 1 day, ResumePeriod >= 1 s, FailSteps known saga steps.")
            .ValidateOnStart();
        services.AddOptions<SimulatedFulfilmentOptions>().BindConfiguration(SimulatedFulfilmentOptions.SectionName)
            .Validate(options => options.FailureRate is >= 0 and <= 1 && options.Latency >= TimeSpan.Zero, $"{SimulatedFulfilmentOptions.SectionName}: FailureRate is between 0 and 1, Latency not negative.")
            .ValidateOnStart();
        services.AddOptions<FulfilmentResilienceOptions>().BindConfiguration(FulfilmentResilienceOptions.SectionName)
            .Validate(options => options.Problem() is null, $"{FulfilmentResilienceOptions.SectionName}: MaxRetries 0-10, BreakFailureRatio in (0, 1], BreakMinimumCalls >= 2, AttemptTimeout > 0, BreakDuration >= 0.5 s.")
            .ValidateOnStart();
        services.AddSingleton<SimulatedFulfilmentService>();
        services.AddSingleton<IFulfilmentService>(provider => ActivatorUtilities.CreateInstance<ResilientFulfilmentService>(provider, provider.GetRequiredService<SimulatedFulfilmentService>()));
        services.AddSingleton<ProductStore>();
        services.AddSingleton<OrderStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<ReconciliationStore>();
        services.AddSingleton<ReconciliationService>();
        services.AddDedicatedDataSource(FeedFanOut.DataSourceKey).AddSingleton<FeedFanOut>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<FeedFanOut>());
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName)
            .Validate(options => options.MaxBatchSize is >= 1 and <= 10_000, $"{NotificationOptions.SectionName}:{nameof(NotificationOptions.MaxBatchSize)} must be between 1 and 10,000.")
            .Validate(options => options.QueueCapacity >= options.MaxBatchSize, $"{NotificationOptions.SectionName}:{nameof(NotificationOptions.QueueCapacity)} must be at least the batch size.")
            .Validate(options => options.Writers is >= 1 and <= 16, $"{NotificationOptions.SectionName}:{nameof(NotificationOptions.Writers)} must be between 1 and 16.")
            .Validate(options => options.Retention >= TimeSpan.FromHours(1), $"{NotificationOptions.SectionName}:{nameof(NotificationOptions.Retention)} must be at least one hour.")
            .ValidateOnStart();
        services.AddDedicatedDataSource(NotificationInbox.WritersDataSourceKey).AddSingleton<NotificationInbox>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<NotificationInbox>());
        services.AddSingleton<NotificationInboxJanitor>();
        services.AddHostedService(provider => provider.GetRequiredService<NotificationInboxJanitor>());
        services.AddSingleton<MerchantStore>();
        services.AddOptions<MerchantPaymentOptions>().BindConfiguration(MerchantPaymentOptions.SectionName)
            .Validate(options => options.FeePercentBasisPoints is >= 0 and <= 10_000 && options.FeeFixed >= 0, $"{MerchantPaymentOptions.SectionName}: FeePercentBasisPoints is 0-10,000 and FeeFixed not negative.")
            .Validate(options => options.AuthorizationLifetime >= TimeSpan.FromSeconds(1) && options.AuthorizationLifetime <= TimeSpan.FromDays(31), $"{MerchantPaymentOptions.SectionName}:{nameof(MerchantPaymentOptions.AuthorizationLifetime)} is between 1 second and 31 days.")
            .Validate(options => options.ExpiryRetryInterval >= TimeSpan.FromSeconds(1), $"{MerchantPaymentOptions.SectionName}:{nameof(MerchantPaymentOptions.ExpiryRetryInterval)} is at least 1 second.")
            .ValidateOnStart();
        services.AddSingleton<MerchantPaymentStore>();
        services.AddDedicatedDataSource(FraudScorer.DataSourceKey).AddSingleton<FraudScorer>();
        services.AddSingleton<UsualTickets>();
        services.AddSingleton<MerchantAnalyticsStore>();
        services.AddOptions<SimulatedAcquirerOptions>().BindConfiguration(SimulatedAcquirerOptions.SectionName)
            .Validate(options => options.FailureRate is >= 0 and <= 1, $"{SimulatedAcquirerOptions.SectionName}:{nameof(SimulatedAcquirerOptions.FailureRate)} is between 0 and 1.")
            .Validate(options => options.RememberedDecisions is >= 100 and <= 10_000_000, $"{SimulatedAcquirerOptions.SectionName}:{nameof(SimulatedAcquirerOptions.RememberedDecisions)} is between 100 and 10,000,000.")
            .Validate(options => options.DecisionRetention >= TimeSpan.FromMinutes(1) && options.DecisionRetention <= TimeSpan.FromDays(7), $"{SimulatedAcquirerOptions.SectionName}:{nameof(SimulatedAcquirerOptions.DecisionRetention)} is between 1 minute and 7 days.")
            .ValidateOnStart();
        services.AddOptions<AcquirerResilienceOptions>().BindConfiguration(AcquirerResilienceOptions.SectionName)
            .Validate(options => options.Problem() is null, $"{AcquirerResilienceOptions.SectionName}: MaxRetries 0-10, BreakFailureRatio in (0, 1], BreakMinimumCalls >= 2, AttemptTimeout > 0, BreakDuration >= 0.5 s.")
            .ValidateOnStart();
        services.AddSingleton<SimulatedCardAcquirer>();
        services.AddSingleton<ICardAcquirer>(provider => ActivatorUtilities.CreateInstance<ResilientCardAcquirer>(provider, provider.GetRequiredService<SimulatedCardAcquirer>()));
        services.AddOptions<CardWalletOptions>().BindConfiguration(CardWalletOptions.SectionName)
            .Validate(options => options.VerificationLockout >= TimeSpan.FromSeconds(1) && options.VerificationLockout <= TimeSpan.FromDays(1), $"{CardWalletOptions.SectionName}:{nameof(CardWalletOptions.VerificationLockout)} is between 1 second and 1 day.")
            .Validate(options => options.LostDeviceRetryInterval >= TimeSpan.FromMilliseconds(100) && options.LostDeviceRetryInterval <= TimeSpan.FromHours(1), $"{CardWalletOptions.SectionName}:{nameof(CardWalletOptions.LostDeviceRetryInterval)} is between 100 ms and 1 hour.")
            .Validate(options => options.LostDeviceReminderPeriod >= TimeSpan.FromSeconds(1) && options.LostDeviceReminderPeriod <= TimeSpan.FromDays(1), $"{CardWalletOptions.SectionName}:{nameof(CardWalletOptions.LostDeviceReminderPeriod)} is between 1 second and 1 day.")
            .ValidateOnStart();
        services.AddSingleton<CardWalletStore>();
        services.AddOptions<SimulatedCardNetworkOptions>().BindConfiguration(SimulatedCardNetworkOptions.SectionName)
            .Validate(options => IsKey(options.MasterKey), $"{SimulatedCardNetworkOptions.SectionName}:{nameof(SimulatedCardNetworkOptions.MasterKey)} is the base64 of at least 32 bytes.")
            .Validate(options => options.FaultsRefreshInterval >= TimeSpan.Zero && options.FaultsRefreshInterval <= TimeSpan.FromMinutes(1), $"{SimulatedCardNetworkOptions.SectionName}:{nameof(SimulatedCardNetworkOptions.FaultsRefreshInterval)} is between 0 and 1 minute.")
            .Validate(options => options.Faults.Values.All(faults => faults.Problem() is null), $"{SimulatedCardNetworkOptions.SectionName}:{nameof(SimulatedCardNetworkOptions.Faults)}: Latency 0-60 s, ErrorRate 0-1.")
            .ValidateOnStart();
        services.AddOptions<CardNetworkResilienceOptions>().BindConfiguration(CardNetworkResilienceOptions.SectionName)
            .Validate(options => options.Problem() is null, $"{CardNetworkResilienceOptions.SectionName}: MaxRetries 0-10, BreakFailureRatio in (0, 1], BreakMinimumCalls >= 2, AttemptTimeout > 0, BreakDuration >= 0.5 s.")
            .ValidateOnStart();
        services.AddSingleton<SimulatedNetworkFaults>();
        services.AddSingleton<CardNetworks.CardNetworks>();
        services.AddSingleton<SimulatedBankGateway>();
        services.AddSingleton<IBankGateway>(provider => ActivatorUtilities.CreateInstance<ResilientBankGateway>(provider, provider.GetRequiredService<SimulatedBankGateway>()));
        return services;
    }

    private static bool IsKey(string base64)
    {
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var length) && length >= 32;
    }
}
