using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Payments.Grains.Webhooks;

namespace Payments.Silo.Hosting;

/// <summary>
/// Where the webhook secret encryption key comes from when configuration has none: a file of its own under the data
/// directory, created once with 32 random bytes and readable by the silo's user only. Every silo that shares the
/// folder shares the key; silos on other machines need <c>Payments__Webhooks__SecretEncryptionKey</c>.
/// </summary>
public static class WebhookSecretKeyFile
{
    public const string FileName = "webhook-secret.key";

    private const string KeySetting = $"{WebhookOptions.SectionName}:{nameof(WebhookOptions.SecretEncryptionKey)}";

    public static void AddIfUnset(IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrWhiteSpace(configuration[KeySetting]))
        {
            return;
        }

        var directory = configuration["Payments:DataDirectory"] ?? ".data";
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, FileName));
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [KeySetting] = ReadOrCreate(path),
            [$"{WebhookOptions.SectionName}:{nameof(WebhookOptions.SecretKeyFile)}"] = path,
        });
    }

    private static string ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        // Written whole under another name, then moved into place: a silo starting beside this one reads either no
        // file or the complete key, never half of one.
        var draft = $"{path}.{Guid.NewGuid():N}";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(draft, options))
        {
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        try
        {
            File.Move(draft, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(draft); // Another silo (or an earlier run) made it first: its key wins.
        }

        return File.ReadAllText(path).Trim();
    }
}
