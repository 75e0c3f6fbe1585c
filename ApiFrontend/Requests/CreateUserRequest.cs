using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Users;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/users.</summary>
public sealed record CreateUserRequest(string? Username, string? DisplayName, string? Password)
{
    public Parsed<NewUser> Validate()
    {
        if (!Grains.Interfaces.Identity.Username.TryParse(Username, out var username))
        {
            return ApiError.Validation("username", $"username must be {Grains.Interfaces.Identity.Username.MinLength}–{Grains.Interfaces.Identity.Username.MaxLength} characters of a–z, 0–9 and _.");
        }

        var displayName = DisplayName?.Trim();
        if (string.IsNullOrEmpty(displayName) || displayName.Length > UserLimits.MaxDisplayNameLength || displayName.Any(char.IsControl))
        {
            return ApiError.Validation("displayName", $"displayName must be 1–{UserLimits.MaxDisplayNameLength} characters, not blank, without control characters.");
        }

        if (Password is not { Length: >= UserLimits.MinPasswordLength and <= UserLimits.MaxPasswordLength })
        {
            return ApiError.Validation("password", $"password must be {UserLimits.MinPasswordLength}–{UserLimits.MaxPasswordLength} characters.");
        }

        return new NewUser(username, displayName, Password);
    }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"CreateUserRequest {{ Username = {Username}, DisplayName = {DisplayName} }}";
}

/// <summary>A validated registration.</summary>
public sealed record NewUser(Username Username, string DisplayName, string Password)
{
    public override string ToString() => $"NewUser {{ Username = {Username} }}";
}
