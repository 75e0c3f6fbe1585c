namespace Payments.Infrastructure.Postgres;

/// <summary>The connection string the silo's pools are built from (the pools themselves no longer expose its password).</summary>
public sealed class PostgresConnectionSettings(string connectionString, string name)
{
    public string ConnectionString { get; } = connectionString;

    public string Name { get; } = name;

    /// <summary>The name only: the connection string carries a password.</summary>
    public override string ToString() => Name;
}
