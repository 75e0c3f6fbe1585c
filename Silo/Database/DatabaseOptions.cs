namespace Payments.Silo.Database;

/// <summary>
/// Where the silo's PostgreSQL is. With <c>ConnectionStrings:Payments</c> set the silo uses that server; without it,
/// it runs a private server under <see cref="DataDirectory"/> (env <c>Payments__DataDirectory</c>).
/// </summary>
public sealed class DatabaseOptions
{
    public const string ConnectionStringName = "Payments";

    /// <summary>Folder of the embedded server's data. Default <c>.data</c> under the working directory.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Embedded server settings (section <c>Payments:Postgres</c>).</summary>
    public EmbeddedServerOptions Postgres { get; set; } = new();

    public sealed class EmbeddedServerOptions
    {
        /// <summary>Folder with initdb and pg_ctl; unset to search PATH and /usr/lib/postgresql/*/bin.</summary>
        public string? BinDirectory { get; set; }

        /// <summary>Loopback port; 0 picks a free one.</summary>
        public int Port { get; set; }

        /// <summary>fsync and synchronous commit; keep on for anything holding money.</summary>
        public bool Durable { get; set; } = true;
    }
}
