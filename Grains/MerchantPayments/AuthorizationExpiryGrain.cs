using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Infrastructure.References;

namespace Payments.Grains.MerchantPayments;

/// <summary>
/// A merchant's authorization sweep: one reminder, ticking every <c>ExpiryRetryInterval</c> while the merchant has
/// authorizations outstanding, asks each payment past its expiry to void itself. A payment whose expiry fails (the
/// database is down) is found again at the next tick. The reminder goes when no authorization is left, and comes back
/// with the next one.
/// </summary>
[GrainType("authorization-expiry")]
public sealed partial class AuthorizationExpiryGrain(
    MerchantPaymentStore store, IOptions<MerchantPaymentOptions> options, TimeProvider time, ILogger<AuthorizationExpiryGrain> logger)
    : Grain, IAuthorizationExpiryGrain, IRemindable
{
    private const string SweepReminder = "sweep";
    private const int MaxPerTick = 500;
    private bool _registered;

    // Counts Track calls, so a sweep that found nothing outstanding does not drop the reminder a new authorization needs.
    private long _tracked;

    public async Task Track()
    {
        _tracked++;
        if (!_registered)
        {
            _registered = true;
            try
            {
                await RegisterAsync();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // The next authorization registers it again; until then the outstanding ones wait, unexpired.
                _registered = false;
                LogRegistrationFailed(logger, error, this.GetPrimaryKeyString());
            }
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var tracked = _tracked;
        _registered = true;
        var merchantId = this.GetPrimaryKeyString();
        var (expired, anyAuthorized) = await store.AuthorizationsToExpireAsync(merchantId, time.GetUtcNow(), MaxPerTick);
        foreach (var paymentId in expired)
        {
            try
            {
                await GrainFactory.Reference<IMerchantPaymentGrain>(paymentId).Expire();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                LogExpiryFailed(logger, error, paymentId, merchantId);
            }
        }

        if (!anyAuthorized && tracked == _tracked)
        {
            await this.UnregisterReminderIfAnyAsync(SweepReminder);
            _registered = false;
            if (tracked != _tracked)
            {
                // An authorization came in while the reminder was being removed.
                _registered = true;
                await RegisterAsync();
            }
        }
    }

    private Task RegisterAsync() =>
        this.RegisterOrUpdateReminder(SweepReminder, options.Value.ExpiryRetryInterval, options.Value.ExpiryRetryInterval);

    [LoggerMessage(2, LogLevel.Error, "The expiry sweep of merchant {MerchantId} could not register its reminder; the next authorization tries again")]
    private static partial void LogRegistrationFailed(ILogger logger, Exception error, string merchantId);

    [LoggerMessage(1, LogLevel.Warning, "Expiring payment {PaymentId} of merchant {MerchantId} failed; the next sweep tries again")]
    private static partial void LogExpiryFailed(ILogger logger, Exception error, string paymentId, string merchantId);
}
