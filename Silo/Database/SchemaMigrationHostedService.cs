using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Infrastructure.Postgres;

namespace Payments.Silo.Database;

/// <summary>Brings the schema up to date before anything else starts (registered first among hosted services).</summary>
internal sealed class SchemaMigrationHostedService(NpgsqlDataSource dataSource, ILogger<SchemaMigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await SchemaMigrator.ApplyAsync(dataSource, PaymentsSchema.Scripts, logger, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Schema is current ({Applied} migrations applied now, {Total} known)", applied, PaymentsSchema.Scripts.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
