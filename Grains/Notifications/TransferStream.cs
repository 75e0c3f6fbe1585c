namespace Payments.Grains.Notifications;

/// <summary>The stream the wallet grain's transfers publish to (see <c>WalletGrain.Send</c>): one per sender.</summary>
public static class TransferStream
{
    public const string Namespace = "transfers";
    public const string TransferCompleted = "TransferCompleted";
}
