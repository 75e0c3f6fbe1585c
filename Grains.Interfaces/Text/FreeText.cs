namespace Payments.Grains.Interfaces.Text;

/// <summary>Text people type (notes, comments, search terms, ids given back to us) that PostgreSQL stores or compares.</summary>
public static class FreeText
{
    /// <summary>
    /// PostgreSQL's text type cannot hold U+0000: a statement given one fails, so such text is refused as input instead
    /// of failing a database call (and, in a ledger batch, every payment committed with it).
    /// </summary>
    public static bool IsStorable(string text) => !text.Contains('\0', StringComparison.Ordinal);

    /// <summary>What a refusal of <see cref="IsStorable"/> says, for the field named.</summary>
    public static string NotStorableMessage(string field) => $"{field} must not contain the character U+0000.";
}
