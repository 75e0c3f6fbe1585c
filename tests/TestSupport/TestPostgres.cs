using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Infrastructure.Postgres;
using Payments.Silo.Database;

namespace Payments.TestSupport;

/// <summary>
/// One PostgreSQL server per test run: the one named by PAYMENTS_TEST_CONNECTION, or a private embedded server
/// (fsync off) under a fresh temp folder, stopped and removed when the test process exits.
/// Each test class gets a fresh database with the schema applied.
/// </summary>
public static class TestPostgres
{
    public const string ConnectionVariable = "PAYMENTS_TEST_CONNECTION";

    private static readonly Lazy<Task<string>> s_server = new(StartAsync);
    private static int s_databases;

    /// <summary>Connection string of the server's maintenance database.</summary>
    public static Task<string> ServerConnectionStringAsync() => s_server.Value;

    /// <summary>
    /// Creates a new empty database with the schema applied (the migrations up to <paramref name="schemaVersion"/>,
    /// for upgrade tests) and returns its connection string.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(string purpose, int schemaVersion = int.MaxValue)
    {
        var server = new NpgsqlConnectionStringBuilder(await s_server.Value) { Database = "postgres", Pooling = false };
        var name = $"test_{purpose.ToLowerInvariant()}_{Environment.ProcessId}_{Interlocked.Increment(ref s_databases)}";
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, Pooling = true }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(database);
        await SchemaMigrator.ApplyAsync(dataSource, PaymentsSchema.Scripts.Where(script => script.Version <= schemaVersion).ToList(), NullLogger.Instance);
        return database;
    }

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        RemoveLeftovers();
        var directory = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}");
        // Test classes run in parallel, each with silos that hold several pools (ledger, fraud, feed, notifications…).
        var server = await EmbeddedPostgresServer.StartAsync(
            new EmbeddedPostgresSettings { DataDirectory = directory, Durable = false, MaxConnections = 1000 },
            NullLogger.Instance);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.Stop();
            TryDelete(directory);
        };
        return server.ConnectionString;
    }

    private const string DirectoryPrefix = "orleans-payments-tests-";

    // A test process that was killed never ran its exit handler: its server may still run and its data (gigabytes
    // after the load tests) stays behind. Each run removes those of processes that are gone, so they never pile up.
    private static void RemoveLeftovers()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(directory).AsSpan(DirectoryPrefix.Length), out var owner) || IsRunning(owner))
            {
                continue;
            }

            StopOrphanedServer(Path.Combine(directory, "postgres", "postmaster.pid"));
            TryDelete(directory);
        }
    }

    private static void StopOrphanedServer(string pidFile)
    {
        try
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var postmaster) && IsRunning(postmaster))
            {
                // The id may have been reused since: only a postgres process is stopped.
                using var server = System.Diagnostics.Process.GetProcessById(postmaster);
                if (server.ProcessName == "postgres")
                {
                    server.Kill();
                    server.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
        }
        catch (Exception error) when (error is IOException or InvalidOperationException or ArgumentException or System.ComponentModel.Win32Exception)
        {
            // Gone meanwhile, or not ours to stop: the delete below does what it can.
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in /tmp are harmless; never fail a run over cleanup.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
