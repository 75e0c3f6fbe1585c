namespace Payments.Grains;

/// <summary>Pages are read with one row more than asked for; that extra row only says whether another page follows.</summary>
internal static class PageRows
{
    public static (IReadOnlyList<T> Rows, bool HasMore) Trim<T>(List<T> rows, int limit) =>
        rows.Count > limit ? (rows.GetRange(0, limit), true) : (rows, false);
}
