namespace Payments.Infrastructure.Postgres;

/// <summary>Finds the PostgreSQL server programs (initdb, pg_ctl) on PATH or in the usual install folders.</summary>
public static class PostgresBinaries
{
    private static readonly string[] s_required = ["initdb", "pg_ctl", "postgres"];

    /// <summary>Returns the folder holding initdb, pg_ctl and postgres, or throws with what to install.</summary>
    public static string Find(string? explicitDirectory = null, string? searchPath = null)
    {
        foreach (var candidate in Candidates(explicitDirectory, searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? ""))
        {
            if (s_required.All(program => File.Exists(Path.Combine(candidate, program))))
            {
                return candidate;
            }
        }

        throw new PostgresNotFoundException(
            "PostgreSQL server programs (initdb, pg_ctl, postgres) were not found"
            + (explicitDirectory is null ? "" : $" in '{explicitDirectory}' (Payments:Postgres:BinDirectory),")
            + " on PATH, or in /usr/lib/postgresql/<version>/bin. Install the PostgreSQL server: 'apt-get install postgresql' (Debian/Ubuntu), "
            + "'dnf install postgresql-server' (Fedora), 'brew install postgresql' (macOS); or set ConnectionStrings__Payments to use an existing server.");
    }

    private static IEnumerable<string> Candidates(string? explicitDirectory, string searchPath)
    {
        if (explicitDirectory is not null)
        {
            yield return explicitDirectory;
            yield break;
        }

        foreach (var directory in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return directory;
        }

        foreach (var root in new[] { "/usr/lib/postgresql", "/usr/pgsql", "/opt/homebrew/opt", "/usr/local/opt" })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            // Newest version first: /usr/lib/postgresql/17/bin before /usr/lib/postgresql/15/bin.
            foreach (var versioned in Directory.GetDirectories(root).OrderByDescending(VersionOf))
            {
                yield return Path.Combine(versioned, "bin");
            }
        }

        yield return "/usr/local/pgsql/bin";
    }

    private static int VersionOf(string directory)
    {
        var digits = new string(Path.GetFileName(directory).Where(char.IsDigit).ToArray());
        return int.TryParse(digits, out var version) ? version : 0;
    }
}

/// <summary>No PostgreSQL server programs on this machine; the message says what to install.</summary>
public sealed class PostgresNotFoundException(string message) : Exception(message);
