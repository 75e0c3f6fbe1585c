using Payments.Infrastructure.Postgres;

namespace Payments.Silo.Database;

/// <summary>The schema scripts of deploy/sql, embedded in this assembly at build time.</summary>
public static class PaymentsSchema
{
    public static IReadOnlyList<MigrationScript> Scripts { get; } = MigrationScript.FromEmbeddedResources(typeof(PaymentsSchema).Assembly);
}
