using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Infrastructure.Postgres;
using Xunit;

namespace Payments.Infrastructure.Tests;

/// <summary>The private PostgreSQL the silo starts when no connection string is configured.</summary>
public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task Data_survives_a_restart_of_the_embedded_server()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"embedded-restart-{Guid.NewGuid():N}");
        try
        {
            var settings = new EmbeddedPostgresSettings { DataDirectory = directory, Durable = false };
            await using (var server = await EmbeddedPostgresServer.StartAsync(settings, NullLogger.Instance))
            {
                await ExecuteAsync(server.ConnectionString, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
            }

            await using (var server = await EmbeddedPostgresServer.StartAsync(settings, NullLogger.Instance))
            {
                await using var connection = new NpgsqlConnection(server.ConnectionString);
                await connection.OpenAsync();
                Assert.Equal("still here", await new NpgsqlCommand("SELECT value FROM kept", connection).ExecuteScalarAsync());
            }

            Assert.False(File.Exists(Path.Combine(directory, "postgres", "postmaster.pid")), "The server is stopped after dispose.");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task As_root_a_data_folder_the_server_user_cannot_reach_falls_back_to_a_reachable_one()
    {
        var privateParent = Path.Combine(Path.GetTempPath(), $"private-home-{Guid.NewGuid():N}");
        Directory.CreateDirectory(privateParent);
        File.SetUnixFileMode(privateParent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var requested = Path.Combine(privateParent, ".data");
        string? clusterDirectory = null;
        try
        {
            await using var server = await EmbeddedPostgresServer.StartAsync(new EmbeddedPostgresSettings { DataDirectory = requested, Durable = false }, NullLogger.Instance);
            clusterDirectory = server.ClusterDirectory;
            await ExecuteAsync(server.ConnectionString, "SELECT 1");
            if (Environment.IsPrivilegedProcess)
            {
                // The server runs as 'postgres', which cannot enter a 0700 folder owned by root.
                Assert.StartsWith("/var/tmp/orleans-payments-", server.ClusterDirectory);
            }
            else
            {
                // Not root: the server runs as this user, who can reach the folder.
                Assert.StartsWith(requested, server.ClusterDirectory);
            }
        }
        finally
        {
            Directory.Delete(privateParent, recursive: true);
            if (clusterDirectory?.StartsWith("/var/tmp/orleans-payments-", StringComparison.Ordinal) == true)
            {
                Directory.Delete(Path.GetDirectoryName(clusterDirectory)!, recursive: true);
            }
        }
    }

    [Fact]
    public void Missing_binaries_give_an_error_that_says_what_to_install()
    {
        var error = Assert.Throws<PostgresNotFoundException>(() => PostgresBinaries.Find(explicitDirectory: "/nonexistent/postgres/bin"));
        Assert.Contains("apt-get install postgresql", error.Message);
        Assert.Contains("ConnectionStrings__Payments", error.Message);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync();
    }
}
