namespace Payments.Grains.Interfaces.Users;

/// <summary>
/// GET and PATCH /v1/users/me: the caller's profile and settings. <c>DefaultVisibility</c> (public, friends or private;
/// initially friends) applies to transfers and request payments that name no visibility.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CurrentUserView(string Id, string Username, string DisplayName, string DefaultVisibility);
