using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Payments.Runtime.Activation;

namespace Orleans.Payments.Runtime.Cluster;

/// <summary>
/// This silo's membership: it joins the table at start (joining, then active), writes a heartbeat every
/// <see cref="ClusterOptions.HeartbeatInterval"/>, declares silos dead whose heartbeats are older than
/// <see cref="ClusterOptions.DeathTimeout"/>, and stops the process if it finds itself declared dead (another silo
/// has taken over its grains by then). On shutdown it says shutting_down, and dead once everything has stopped.
/// </summary>
internal sealed partial class MembershipService : IHostedService, IDisposable
{
    // Every membership change is a compare-and-swap; under contention a silo rereads and tries again, a bounded number of times.
    private const int MaxChangeAttempts = 20;

    private readonly MembershipTable _table;
    private readonly ClusterOptions _options;
    private readonly ActivationCatalog _catalog;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<MembershipService> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenRegistration _onStopping;
    private Task? _loop;

    public MembershipService(MembershipTable table, IOptions<ClusterOptions> options, ActivationCatalog catalog, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<MembershipService> logger)
    {
        _table = table;
        _options = options.Value;
        _catalog = catalog;
        _lifetime = lifetime;
        _logger = logger;
        View = new ClusterView(_options.DeathTimeout, time);
        Self = new SiloIdentity($"{_options.AdvertisedHost}:{_options.SiloPort}", time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>This silo incarnation.</summary>
    public SiloIdentity Self { get; }

    /// <summary>Where grains live, as this silo sees it.</summary>
    public ClusterView View { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ChangeAsync(snapshot => _table.TryInsertAsync(_options.ClusterId, Self, SiloStatus.Joining, snapshot.Version, cancellationToken), cancellationToken).ConfigureAwait(false);
        await SetOwnStatusAsync(SiloStatus.Active, cancellationToken).ConfigureAwait(false);
        UpdatePlacement(await _table.ReadAsync(_options.ClusterId, cancellationToken).ConfigureAwait(false));
        LogJoined(_logger, Self.ToString(), _options.ClusterId);
        _onStopping = _lifetime.ApplicationStopping.Register(() => _ = SetOwnStatusAsync(SiloStatus.ShuttingDown, CancellationToken.None));
        _loop = Task.Run(() => MaintainAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await SetOwnStatusAsync(SiloStatus.Dead, cancellationToken).ConfigureAwait(false);
        LogLeft(_logger, Self.ToString());
    }

    public void Dispose()
    {
        _onStopping.Dispose();
        _stopping.Dispose();
    }

    private async Task MaintainAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await _table.HeartbeatAsync(_options.ClusterId, Self, _catalog.Count, stopping).ConfigureAwait(false);
                    await CheckMembersAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception error) when (error is Npgsql.NpgsqlException or TimeoutException)
                {
                    // The database is unreachable: nobody can declare anyone dead either. Try again next tick.
                    LogHeartbeatFailed(_logger, error);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task CheckMembersAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _table.ReadAsync(_options.ClusterId, cancellationToken).ConfigureAwait(false);
        UpdatePlacement(snapshot);
        if (snapshot.Members.FirstOrDefault(member => member.Silo == Self) is { Status: SiloStatus.Dead })
        {
            // Others consider this silo gone and may have activated its grains elsewhere: serving on would only create doubles.
            LogDeclaredDead(_logger, Self.ToString());
            _lifetime.StopApplication();
            return;
        }

        foreach (var member in snapshot.Members)
        {
            var silent = snapshot.DatabaseNow - member.LastHeartbeat;
            if (member.Silo != Self && member.Status is SiloStatus.Joining or SiloStatus.Active or SiloStatus.ShuttingDown && silent > _options.DeathTimeout
                && await _table.TrySetStatusAsync(_options.ClusterId, member.Silo, SiloStatus.Dead, snapshot.Version, cancellationToken).ConfigureAwait(false))
            {
                LogDeclaredOtherDead(_logger, member.Silo.ToString(), silent.TotalSeconds);
                return; // The version moved; the next tick rereads before judging anyone else.
            }
        }
    }

    /// <summary>This silo could not reach <paramref name="silo"/>: route around it until the cluster decides.</summary>
    public void Suspect(SiloIdentity silo)
    {
        LogSuspected(_logger, silo.ToString());
        if (View.Suspect(silo))
        {
            MoveMisplacedActivations();
        }
    }

    private void UpdatePlacement(MembershipSnapshot snapshot)
    {
        if (View.Update(snapshot))
        {
            MoveMisplacedActivations();
        }
    }

    /// <summary>Grains that another silo owns now leave this one (they reactivate at their owner on the next call).</summary>
    private void MoveMisplacedActivations()
    {
        var placement = View.Placement;
        if (!placement.Silos.Contains(Self))
        {
            return; // Not (or no longer) routable ourselves: keep serving what we have until we stop.
        }

        var moved = _catalog.DeactivateWhere(grain => !_catalog.ServesLocally(grain) && placement.Owner(grain) is { } owner && owner != Self);
        LogPlacementChanged(_logger, placement.Silos.Count, moved);
    }

    private Task SetOwnStatusAsync(string status, CancellationToken cancellationToken) =>
        ChangeAsync(snapshot => snapshot.Members.Any(member => member.Silo == Self && member.Status == SiloStatus.Dead) && status != SiloStatus.Dead
            ? Task.FromResult(true) // Declared dead already: never come back to life under the same generation.
            : _table.TrySetStatusAsync(_options.ClusterId, Self, status, snapshot.Version, cancellationToken), cancellationToken);

    private async Task ChangeAsync(Func<MembershipSnapshot, Task<bool>> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxChangeAttempts; attempt++)
        {
            var snapshot = await _table.ReadAsync(_options.ClusterId, cancellationToken).ConfigureAwait(false);
            if (await change(snapshot).ConfigureAwait(false))
            {
                return;
            }
        }

        throw new InvalidOperationException($"Membership of cluster '{_options.ClusterId}' changed {MaxChangeAttempts} times while {Self} tried to update it.");
    }

    [LoggerMessage(1, LogLevel.Information, "Silo {Silo} joined cluster {ClusterId}")]
    private static partial void LogJoined(ILogger logger, string silo, string clusterId);

    [LoggerMessage(2, LogLevel.Information, "Silo {Silo} left the cluster")]
    private static partial void LogLeft(ILogger logger, string silo);

    [LoggerMessage(3, LogLevel.Critical, "Silo {Silo} was declared dead by the cluster; stopping")]
    private static partial void LogDeclaredDead(ILogger logger, string silo);

    [LoggerMessage(4, LogLevel.Warning, "Declared silo {Silo} dead after {SilentSeconds:0.0} s without a heartbeat")]
    private static partial void LogDeclaredOtherDead(ILogger logger, string silo, double silentSeconds);

    [LoggerMessage(6, LogLevel.Information, "Membership changed: {Active} active silos; {Moved} activations move to their new owners")]
    private static partial void LogPlacementChanged(ILogger logger, int active, int moved);

    [LoggerMessage(7, LogLevel.Warning, "Silo {Silo} is unreachable; routing around it until the cluster decides")]
    private static partial void LogSuspected(ILogger logger, string silo);

    [LoggerMessage(5, LogLevel.Warning, "Membership heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception error);
}
