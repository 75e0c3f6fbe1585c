using Payments.TestSupport;

namespace Payments.Tests;

/// <summary>
/// An <see cref="ApiTest"/> with a webhook receiver process beside the silo, which lets endpoints use http on
/// loopback; <see cref="MoreSettings"/> adds the test class's own configuration.
/// </summary>
public abstract class WebhookReceiverTest(string purpose) : ApiTest(purpose)
{
    protected WebhookReceiverProcess Receiver { get; private set; } = null!;

    protected MerchantClient Merchants => new(Api);

    protected abstract IReadOnlyDictionary<string, string?> MoreSettings { get; }

    protected sealed override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(MoreSettings)
        {
            ["Payments:Webhooks:AllowPrivateTargets"] = "true",
            ["Payments:Webhooks:AllowHttp"] = "true",
        };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Receiver = await WebhookReceiverProcess.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await base.DisposeAsync();
    }
}
