using System.Data.Common;
using Npgsql;

namespace Payments.Infrastructure.Cluster;

/// <summary>
/// Orleans' ADO.NET providers look their driver up by invariant name in <see cref="DbProviderFactories"/>, which .NET
/// leaves empty: register Npgsql under <see cref="PaymentsClusterOptions.AdoNetInvariant"/> once per process.
/// </summary>
public static class NpgsqlAdoNetProvider
{
    public static void Register() =>
        DbProviderFactories.RegisterFactory(PaymentsClusterOptions.AdoNetInvariant, NpgsqlFactory.Instance);
}
