using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Payments.Infrastructure.Postgres;

namespace Payments.Silo.Database;

/// <summary>
/// The silo's database: the configured server, or a private embedded one that this object starts and stops.
/// </summary>
public sealed class PaymentsDatabase : IAsyncDisposable
{
    private readonly EmbeddedPostgresServer? _embedded;

    private PaymentsDatabase(string connectionString, EmbeddedPostgresServer? embedded)
    {
        ConnectionString = connectionString;
        _embedded = embedded;
    }

    public string ConnectionString { get; }

    public bool IsEmbedded => _embedded is not null;

    /// <summary>Whether the embedded server was running before this process opened it (a silo's, when a command runs beside it).</summary>
    public bool WasRunning => _embedded?.WasRunning ?? true;

    public static async Task<PaymentsDatabase> OpenAsync(IConfiguration configuration, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            logger.LogInformation("Using the PostgreSQL server from ConnectionStrings:{Name}", DatabaseOptions.ConnectionStringName);
            return new PaymentsDatabase(configured, null);
        }

        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The embedded PostgreSQL runs on Linux and macOS; on Windows set ConnectionStrings__Payments.");
        }

        var options = configuration.GetSection("Payments").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var embedded = await EmbeddedPostgresServer.StartAsync(new EmbeddedPostgresSettings
        {
            DataDirectory = options.DataDirectory,
            BinDirectory = options.Postgres.BinDirectory,
            Port = options.Postgres.Port,
            Durable = options.Postgres.Durable,
        }, logger, cancellationToken).ConfigureAwait(false);
        return new PaymentsDatabase(embedded.ConnectionString, embedded);
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync().ConfigureAwait(false);
        }
    }
}
