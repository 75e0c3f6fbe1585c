namespace Payments.ApiFrontend.Authentication;

/// <summary>A web-app sign-in: the session token went into an HttpOnly cookie; this is what page scripts may know.</summary>
/// <param name="UserId">The signed-in user.</param>
/// <param name="CsrfToken">Repeated in <c>X-CSRF-Token</c> on every request that changes something.</param>
public sealed record BrowserSessionGrant(string UserId, string CsrfToken);
