namespace Payments.Grains.Interfaces.Paging;

/// <summary>Page sizes of the social lists (requests, friends, feeds, comments): the same bounds as wallet history.</summary>
public static class PageLimits
{
    public const int Max = 100;
    public const int Default = 20;
}
