namespace Payments.ApiFrontend.Apis;

/// <summary>Keys of the singleton grains the API calls.</summary>
internal static class GrainKeys
{
    public const string UserDirectory = "default";

    public const string LedgerAudit = "default";

    public const string PayoutReport = "default";

    public const string Reconciliation = "default";
}
