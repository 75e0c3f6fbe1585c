namespace Payments.Infrastructure.Postgres;

/// <summary>How to run a private PostgreSQL server for development and tests.</summary>
public sealed class EmbeddedPostgresSettings
{
    /// <summary>Folder that holds the server's data; created on first start. Default <c>.data</c> under the working directory.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Folder with initdb and pg_ctl; null to search PATH and the usual install folders.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one at each start.</summary>
    public int Port { get; set; }

    /// <summary>
    /// fsync and synchronous commit. On for anything that measures or keeps money; tests turn it off for speed
    /// (a crash of the machine, not of the process, could then lose acknowledged writes).
    /// </summary>
    public bool Durable { get; set; } = true;

    /// <summary>The database the application uses; created if missing.</summary>
    public string Database { get; set; } = "payments";

    /// <summary>Server setting max_connections.</summary>
    public int MaxConnections { get; set; } = 200;

    /// <summary>Server setting shared_buffers, in megabytes. Default 256.</summary>
    public int SharedBuffersMegabytes { get; set; } = 256;

    /// <summary>
    /// Server setting max_wal_size, in megabytes. Default 4,096: the stock 1 GB forces a checkpoint every few seconds
    /// under a transfer load, and each checkpoint restarts full-page writes.
    /// </summary>
    public int MaxWalSizeMegabytes { get; set; } = 4096;

    /// <summary>The unprivileged account the server runs as when this process is root.</summary>
    public string UnprivilegedUser { get; set; } = "postgres";
}
