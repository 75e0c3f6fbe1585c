namespace Payments.Grains.Interfaces.Identity;

/// <summary>
/// Ids of payment requests, friend requests and comments: UUIDv7 in the standard form, so that ordering by id is
/// ordering by creation time and an id is also a page cursor.
/// </summary>
public static class SocialId
{
    public static string New() => Guid.CreateVersion7().ToString("D");

    public static bool TryParse(string? text, out Guid id) => StandardUuid.TryParse(text, out id);
}
