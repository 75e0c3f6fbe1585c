namespace Payments.Grains.Interfaces.Transfers;

/// <summary>Who may see a transfer in feeds: everyone, the parties' friends, or the two parties only.</summary>
public static class Visibility
{
    public const string Public = "public";
    public const string Friends = "friends";
    public const string Private = "private";

    public static bool IsValid(string? value) => value is Public or Friends or Private;
}
