using System.Text.Json;

namespace Payments.Grains.Commerce;

internal static class JsonColumn
{
    /// <summary>A jsonb column's text as a JSON value that outlives its (pooled) document.</summary>
    public static JsonElement Read(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
