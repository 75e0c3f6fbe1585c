using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Infrastructure.Postgres;
using Payments.Infrastructure.Tests.Infrastructure;
using Payments.TestSupport;
using Payments.Silo.Database;
using Xunit;

namespace Payments.Infrastructure.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task Silos_migrating_at_the_same_time_apply_each_script_exactly_once()
    {
        var server = new NpgsqlConnectionStringBuilder(await TestPostgres.ServerConnectionStringAsync()) { Database = "postgres", Pooling = false };
        var name = $"migrate_race_{Environment.ProcessId}";
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", admin).ExecuteNonQueryAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        }

        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, Pooling = true }.ConnectionString);
        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SchemaMigrator.ApplyAsync(dataSource, PaymentsSchema.Scripts, NullLogger.Instance))));

        Assert.Equal(PaymentsSchema.Scripts.Count, applied.Sum());
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)PaymentsSchema.Scripts.Count, await count.ExecuteScalarAsync());

        // Running again changes nothing.
        Assert.Equal(0, await SchemaMigrator.ApplyAsync(dataSource, PaymentsSchema.Scripts, NullLogger.Instance));
    }

    [Fact]
    public void The_embedded_scripts_are_the_operator_scripts_under_deploy_sql()
    {
        var deploy = Path.Combine(RepositoryRoot.Path, "deploy", "sql");
        var onDisk = Directory.GetFiles(deploy, "*.sql").Select(file => Path.GetFileNameWithoutExtension(file)!).Order().ToList();
        Assert.NotEmpty(onDisk);
        Assert.Equal(onDisk, PaymentsSchema.Scripts.Select(script => $"{script.Version:D4}_{script.Name}").ToList());
        Assert.All(PaymentsSchema.Scripts, script => Assert.Equal(
            File.ReadAllText(Path.Combine(deploy, $"{script.Version:D4}_{script.Name}.sql")), script.Sql));
    }
}
