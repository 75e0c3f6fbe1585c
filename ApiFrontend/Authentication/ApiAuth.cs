namespace Payments.ApiFrontend.Authentication;

/// <summary>Names of the API's authentication schemes, policies and claims.</summary>
public static class ApiAuth
{
    /// <summary>User sessions: <c>Authorization: Bearer &lt;session token&gt;</c>.</summary>
    public const string SessionScheme = "Session";

    /// <summary>Operators: <c>Authorization: Bearer &lt;Payments:AdminToken&gt;</c>.</summary>
    public const string AdminScheme = "Admin";

    /// <summary>A signed-in user (the default policy).</summary>
    public const string UserPolicy = "User";

    /// <summary>An operator.</summary>
    public const string AdminPolicy = "Admin";

    /// <summary>The user id.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>The session grain's key (the token's SHA-256), so logout needs no second hash; never the token itself.</summary>
    public const string SessionKeyClaim = "sid";

    public const string RoleClaim = "role";

    public const string OperatorRole = "operator";
}
