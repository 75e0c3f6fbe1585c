namespace Payments.ApiFrontend.WebApp;

/// <summary>The web app's files (section <c>Payments:WebApp</c>): built from <c>WebApp/</c> into the host's output at build time.</summary>
public sealed class WebAppOptions
{
    public const string SectionName = "Payments:WebApp";

    /// <summary>The folder of the built app (index.html and assets/); by default <c>webapp</c> beside the host's binaries.</summary>
    public string Root { get; set; } = Path.Combine(AppContext.BaseDirectory, "webapp");
}
