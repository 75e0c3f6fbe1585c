using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.Infrastructure.Postgres;

/// <summary>
/// A private PostgreSQL server under a data folder: initialized on first start (initdb, password auth, loopback only),
/// started with pg_ctl, reused if a previous process left it running, stopped on <see cref="DisposeAsync"/>.
/// PostgreSQL refuses to run as root, so as root the server runs as an unprivileged user and the data must sit
/// where that user can reach it; when the configured folder cannot be reached, a folder under /var/tmp is used instead.
/// </summary>
public sealed class EmbeddedPostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(120);

    private readonly string _binDirectory;
    private readonly string _clusterDirectory;
    private readonly string? _runAs;
    private readonly ILogger _logger;
    private int _stopped;

    private EmbeddedPostgresServer(string binDirectory, string clusterDirectory, string? runAs, string connectionString, ILogger logger)
    {
        _binDirectory = binDirectory;
        _clusterDirectory = clusterDirectory;
        _runAs = runAs;
        ConnectionString = connectionString;
        _logger = logger;
    }

    /// <summary>Connection string for the application database, as the superuser.</summary>
    public string ConnectionString { get; }

    /// <summary>The folder holding the server's cluster (its data directory).</summary>
    public string ClusterDirectory => _clusterDirectory;

    public static async Task<EmbeddedPostgresServer> StartAsync(EmbeddedPostgresSettings settings, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var binDirectory = PostgresBinaries.Find(settings.BinDirectory);
        var runAs = Environment.IsPrivilegedProcess ? settings.UnprivilegedUser : null;
        var root = await ChooseDataRootAsync(Path.GetFullPath(settings.DataDirectory), runAs, logger, cancellationToken).ConfigureAwait(false);
        var clusterDirectory = Path.Combine(root, "postgres");
        var passwordFile = Path.Combine(root, "superuser.password");

        if (!File.Exists(Path.Combine(clusterDirectory, "PG_VERSION")))
        {
            await InitializeAsync(binDirectory, clusterDirectory, passwordFile, runAs, logger, cancellationToken).ConfigureAwait(false);
        }

        var password = (await File.ReadAllTextAsync(passwordFile, cancellationToken).ConfigureAwait(false)).Trim();
        var port = await RunningPortAsync(binDirectory, clusterDirectory, runAs, cancellationToken).ConfigureAwait(false);
        var wasRunning = port is not null;
        if (port is int runningPort)
        {
            logger.LogInformation("Reusing the PostgreSQL server already running on port {Port} for {ClusterDirectory}", runningPort, clusterDirectory);
        }
        else
        {
            port = settings.Port != 0 ? settings.Port : FreePort();
            await StartServerAsync(binDirectory, clusterDirectory, port.Value, settings, runAs, logger, cancellationToken).ConfigureAwait(false);
        }

        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port.Value,
            Username = "postgres",
            Password = password,
            Database = settings.Database,
        }.ConnectionString;
        await CreateDatabaseIfMissingAsync(connectionString, settings.Database, cancellationToken).ConfigureAwait(false);
        return new EmbeddedPostgresServer(binDirectory, clusterDirectory, runAs, connectionString, logger) { WasRunning = wasRunning };
    }

    /// <summary>Whether the server was running already (left by a crashed process, or a silo's while a command runs beside it).</summary>
    public bool WasRunning { get; private init; }

    /// <summary>Stops the server (fast shutdown: open sessions are ended, committed data is safe).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        var (exitCode, output) = await CommandRunner.RunAsync(
            Path.Combine(_binDirectory, "pg_ctl"), ["stop", "-D", _clusterDirectory, "-m", "fast", "-w", "-t", "60"], _runAs, s_commandTimeout, CancellationToken.None).ConfigureAwait(false);
        if (exitCode == 0)
        {
            _logger.LogInformation("Stopped PostgreSQL ({ClusterDirectory})", _clusterDirectory);
        }
        else
        {
            _logger.LogWarning("pg_ctl stop exited with {ExitCode}: {Output}", exitCode, output.Trim());
        }
    }

    /// <summary>Stops the server synchronously; for process-exit handlers, where nothing can be awaited.</summary>
    public void Stop() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static async Task<string> ChooseDataRootAsync(string requested, string? runAs, ILogger logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(requested);
        if (runAs is null)
        {
            return requested;
        }

        // The server user must be able to traverse every folder above its data; `test -x` as that user proves it.
        var (exitCode, _) = await CommandRunner.RunAsync("test", ["-x", requested], runAs, s_commandTimeout, cancellationToken).ConfigureAwait(false);
        if (exitCode == 0)
        {
            return requested;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requested)))[..12];
        var fallback = Path.Combine("/var/tmp", $"orleans-payments-{hash}");
        Directory.CreateDirectory(fallback);
        SetUnixMode(fallback, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        logger.LogWarning(
            "PostgreSQL runs as '{User}' because this process is root, and '{User}' cannot reach {Requested} (a folder above it is private). Using {Fallback} for the data instead.",
            runAs, runAs, requested, fallback);
        return fallback;
    }

    private static async Task InitializeAsync(string binDirectory, string clusterDirectory, string passwordFile, string? runAs, ILogger logger, CancellationToken cancellationToken)
    {
        logger.LogInformation("Initializing a private PostgreSQL cluster in {ClusterDirectory}", clusterDirectory);
        if (Directory.Exists(clusterDirectory))
        {
            Directory.Delete(clusterDirectory, recursive: true); // A half-made cluster from an interrupted initdb.
        }

        Directory.CreateDirectory(clusterDirectory);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken).ConfigureAwait(false);
        SetUnixMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // initdb reads the password from a file the server user can read; it is deleted right after.
        var initPasswordFile = Path.Combine(Path.GetTempPath(), $"pg-init-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(initPasswordFile, password, cancellationToken).ConfigureAwait(false);
        try
        {
            SetUnixMode(initPasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (runAs is not null)
            {
                await CommandRunner.RunCheckedAsync("chown", [runAs, initPasswordFile], null, s_commandTimeout, cancellationToken).ConfigureAwait(false);
                await CommandRunner.RunCheckedAsync("chown", [runAs, clusterDirectory], null, s_commandTimeout, cancellationToken).ConfigureAwait(false);
            }

            SetUnixMode(clusterDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await CommandRunner.RunCheckedAsync(
                Path.Combine(binDirectory, "initdb"),
                ["-D", clusterDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={initPasswordFile}", "--encoding=UTF8", "--no-locale", "--no-instructions"],
                runAs, s_commandTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(initPasswordFile);
        }
    }

    private static async Task<int?> RunningPortAsync(string binDirectory, string clusterDirectory, string? runAs, CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(clusterDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var (exitCode, _) = await CommandRunner.RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["status", "-D", clusterDirectory], runAs, s_commandTimeout, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            return null; // A stale pid file from a crash; pg_ctl start handles it.
        }

        // postmaster.pid line 4 is the port the running server listens on.
        var lines = await File.ReadAllLinesAsync(pidFile, cancellationToken).ConfigureAwait(false);
        return lines.Length > 3 && int.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    private static async Task StartServerAsync(string binDirectory, string clusterDirectory, int port, EmbeddedPostgresSettings settings, string? runAs, ILogger logger, CancellationToken cancellationToken)
    {
        var durability = settings.Durable ? "on" : "off";
        var serverOptions = string.Join(' ',
            $"-p {port}",
            "-c listen_addresses=127.0.0.1",
            "-c unix_socket_directories=''",
            $"-c max_connections={settings.MaxConnections}",
            $"-c fsync={durability}",
            $"-c synchronous_commit={durability}",
            $"-c full_page_writes={durability}",
            $"-c shared_buffers={settings.SharedBuffersMegabytes}MB",
            "-c wal_buffers=64MB",
            $"-c max_wal_size={settings.MaxWalSizeMegabytes}MB",
            "-c checkpoint_timeout=15min");
        logger.LogInformation("Starting PostgreSQL on 127.0.0.1:{Port} ({ClusterDirectory}, durable: {Durable})", port, clusterDirectory, settings.Durable);
        await CommandRunner.RunCheckedAsync(
            Path.Combine(binDirectory, "pg_ctl"),
            ["start", "-D", clusterDirectory, "-w", "-t", "60", "-l", Path.Combine(clusterDirectory, "server.log"), "-o", serverOptions],
            runAs, s_commandTimeout, cancellationToken).ConfigureAwait(false);
    }

    private static async Task CreateDatabaseIfMissingAsync(string connectionString, string database, CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void SetUnixMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
