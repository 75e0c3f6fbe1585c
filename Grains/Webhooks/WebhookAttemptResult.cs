namespace Payments.Grains.Webhooks;

/// <summary>How one attempt went: the status code if the receiver answered, how long it took, why it failed, the start of the answer.</summary>
public sealed record WebhookAttemptResult(int? StatusCode, int LatencyMs, string? Error, string? ResponseBody)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>410 Gone: the receiver says the endpoint no longer exists, which disables it at once.</summary>
    public bool Gone => StatusCode == 410;
}
