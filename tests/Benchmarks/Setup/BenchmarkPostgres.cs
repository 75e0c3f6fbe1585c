using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Infrastructure.Postgres;
using Payments.Silo.Database;

namespace Payments.Benchmarks.Setup;

/// <summary>
/// The benchmarks' PostgreSQL: an embedded server with durable settings (fsync and synchronous commit on: a figure
/// measured with durability off is not a payment figure), a fresh database per run, and checkpoints between phases.
/// </summary>
internal static class BenchmarkPostgres
{
    /// <param name="folder">The data folder's name under the temp folder; benchmarks that may run at the same time use different ones.</param>
    public static async Task<EmbeddedPostgresServer> StartAsync(string folder = "orleans-payments-bench")
    {
        var directory = Path.Combine(Path.GetTempPath(), folder);
        // Connections: the silo's shared pool and Orleans' ADO.NET providers (up to 100 each, Npgsql's default), the
        // silo's dedicated loops, and the row-lock baseline's 300.
        return await EmbeddedPostgresServer.StartAsync(new EmbeddedPostgresSettings { DataDirectory = directory, Durable = true, MaxConnections = 600, SharedBuffersMegabytes = 1024 }, NullLogger.Instance);
    }

    /// <summary>A new database with the project's schema (Orleans' tables included); returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string serverConnectionString)
    {
        var name = $"bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        var admin = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            // Earlier runs' databases go first, so the data folder does not grow by a database per run. Benchmarks that
            // may run at the same time use separate servers (see StartAsync).
            var earlier = new List<string>();
            await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_%'", connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    earlier.Add(reader.GetString(0));
                }
            }

            foreach (var stale in earlier)
            {
                await new NpgsqlCommand($"DROP DATABASE \"{stale}\" WITH (FORCE)", connection).ExecuteNonQueryAsync();
            }

            await new NpgsqlCommand($"CREATE DATABASE {name}", connection).ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(database);
        await SchemaMigrator.ApplyAsync(dataSource, PaymentsSchema.Scripts, NullLogger.Instance);
        return database;
    }

    /// <summary>
    /// Starts a measurement from a fresh checkpoint. The first change to a page after a checkpoint writes the whole page
    /// to the WAL; a checkpoint falling inside one measurement and not another makes runs of the same code differ.
    /// </summary>
    public static async Task CheckpointAsync(NpgsqlDataSource superuser)
    {
        await using var command = superuser.CreateCommand("CHECKPOINT");
        await command.ExecuteNonQueryAsync();
    }
}
