namespace Payments.Grains.Interfaces.Identity;

/// <summary>The one way ids that are UUIDs are read from clients: the standard 36-character form, and never the empty UUID.</summary>
public static class StandardUuid
{
    /// <summary>
    /// Whether <paramref name="text"/> is a UUID in the standard form ("D"). The length is checked first: .NET's parser
    /// trims white space around the value, so " id " would otherwise name the same resource as "id".
    /// </summary>
    public static bool TryParse(string? text, out Guid value)
    {
        value = Guid.Empty;
        return text is { Length: 36 } && Guid.TryParseExact(text, "D", out value) && value != Guid.Empty;
    }
}
