using Npgsql;

namespace Payments.Grains.Ledger;

/// <summary>
/// Every ledger commit checks, in its own transaction, that the cluster has not declared this silo dead: a silo that
/// hung while the others moved its grains elsewhere may wake up with entries admitted before the pause, and must not
/// commit them beside the activations that replaced it. The membership row is read FOR SHARE, so a death declaration
/// and a commit serialize: a commit lands before the declaration or not at all. Orleans' membership table is in the
/// same database (migration 0012), which makes this one extra statement in the lock round trip.
/// </summary>
public sealed class LedgerSiloFence(string clusterId, SiloAddress silo)
{
    // Orleans' SiloStatus: 3 Active, 4 ShuttingDown, 5 Stopping (calls in flight at a graceful stop still commit), 6 Dead.
    private const int FirstLiveStatus = 3;
    private const int LastLiveStatus = 5;

    /// <summary>A statement returning this silo's membership status (no row once it is gone from the table).</summary>
    public NpgsqlBatchCommand StatusCommand()
    {
        var command = new NpgsqlBatchCommand(
            "SELECT status FROM orleans_membership WHERE deployment_id = $1 AND address = $2 AND port = $3 AND generation = $4 FOR SHARE");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = silo.Endpoint.Address.ToString() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = silo.Endpoint.Port });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = silo.Generation });
        return command;
    }

    /// <summary>Throws (the transaction then rolls back) unless <paramref name="status"/>, read by <see cref="StatusCommand"/>, is a live one.</summary>
    public void EnsureLive(int? status)
    {
        if (status is not (>= FirstLiveStatus and <= LastLiveStatus))
        {
            throw new LedgerUnavailableException($"The cluster declared this silo ({silo}) dead; it commits nothing more. Retry with the same Idempotency-Key.");
        }
    }
}
