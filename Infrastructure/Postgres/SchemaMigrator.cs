using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.Infrastructure.Postgres;

/// <summary>A versioned SQL script: <c>0001_name.sql</c> has version 1.</summary>
public sealed partial record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>Loads scripts embedded in an assembly whose resource names end with <c>NNNN_name.sql</c>.</summary>
    public static IReadOnlyList<MigrationScript> FromEmbeddedResources(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = FileName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new MigrationScript(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }

        var duplicate = scripts.GroupBy(script => script.Version).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migration scripts have version {duplicate.Key}: {string.Join(", ", duplicate.Select(script => script.Name))}.");
        }

        return scripts.OrderBy(script => script.Version).ToList();
    }

    [GeneratedRegex(@"(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileName();
}

/// <summary>
/// Applies migration scripts in version order, each in its own transaction with its row in <c>schema_migrations</c>.
/// A session advisory lock serializes silos that start together: the second waits, then finds nothing left to do.
/// </summary>
public static class SchemaMigrator
{
    // Arbitrary constant shared by every process that migrates this schema.
    private const long AdvisoryLockKey = 0x4F72_6C65_616E_7301;

    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, IReadOnlyList<MigrationScript> scripts, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(scripts);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock($1)", cancellationToken, AdvisoryLockKey).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection,
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken).ConfigureAwait(false);

            var applied = new HashSet<int>();
            await using (var query = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            var count = 0;
            foreach (var script in scripts.Where(script => !applied.Contains(script.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, script.Sql, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", cancellationToken, script.Version, script.Name).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Applied schema migration {Version} {Name}", script.Version, script.Name);
                count++;
            }

            return count;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None, AdvisoryLockKey).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
