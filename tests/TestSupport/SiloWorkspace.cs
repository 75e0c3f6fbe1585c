namespace Payments.TestSupport;

/// <summary>
/// A temporary folder for silo processes on their embedded default: the working directory, the data directory under
/// it, and the environment that points the silo there. The folder is reachable by the unprivileged PostgreSQL user
/// (0755), since CreateTempSubdirectory makes private ones. Deleted on dispose.
/// </summary>
public sealed class SiloWorkspace : IDisposable
{
    public SiloWorkspace(string prefix)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(Directory, (UnixFileMode)0b111_101_101);
        DataDirectory = Path.Combine(Directory, "data");
    }

    public string Directory { get; }

    public string DataDirectory { get; }

    /// <summary>The folder of the embedded PostgreSQL cluster the silo starts.</summary>
    public string ClusterDirectory => Path.Combine(DataDirectory, "postgres");

    /// <summary>Starts a silo on the embedded default under this workspace; <paramref name="settings"/> add to the environment.</summary>
    public SiloProcess StartSilo(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["Payments__DataDirectory"] = DataDirectory,
            ["Payments__Postgres__Durable"] = "false",
            ["Payments__Users__PasswordHashIterations"] = "1000",
            ["Payments__AdminToken"] = InProcessSilo.AdminToken,
            ["Payments__Cluster__SiloPort"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Payments__Cluster__GatewayPort"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return SiloProcess.Start(Directory, environment);
    }

    /// <summary>Starts a silo as <see cref="StartSilo"/> does and waits (up to 90 s) until it reports ready.</summary>
    public async Task<SiloProcess> StartReadySiloAsync()
    {
        var silo = StartSilo();
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return silo;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
