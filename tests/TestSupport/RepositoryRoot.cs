namespace Payments.TestSupport;

/// <summary>The checkout's root folder (the one holding Orleans.Payments.sln), found from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Orleans.Payments.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Orleans.Payments.sln above {AppContext.BaseDirectory}.");
    }
}
