namespace Payments.Grains.Interfaces.Transfers;

/// <summary>A transfer's status. P2P transfers settle in the ledger commit that creates them, so they are born completed.</summary>
public static class TransferStatus
{
    public const string Completed = "completed";
}
