using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Users;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/users.</summary>
public sealed record CreateUserRequest(
    [property: Required, Description("3–32 characters of a–z, 0–9 and _; unique.")] string? Username,
    [property: Required, Description("1–64 characters shown beside the @username; one script, no invisible or look-alike characters.")] string? DisplayName,
    [property: Required, Description("8–256 characters; zxcvbn must score it at least 3 (not common, not built from the username or display name).")] string? Password)
{
    /// <summary>
    /// The username's form, the display name's rules (<see cref="Grains.Interfaces.Identity.DisplayName"/>: cleaned here,
    /// refused if it could impersonate), and the password's length, not all whitespace and not the username. Its
    /// strength (zxcvbn) is judged after this, by <see cref="PasswordStrength"/>, under its own bound.
    /// </summary>
    public Parsed<NewUser> Validate()
    {
        if (!Grains.Interfaces.Identity.Username.TryParse(Username, out var username))
        {
            return ApiError.Validation("username", $"username must be {Grains.Interfaces.Identity.Username.MinLength}–{Grains.Interfaces.Identity.Username.MaxLength} characters of a–z, 0–9 and _.");
        }

        if (!Grains.Interfaces.Identity.DisplayName.TryClean(DisplayName, out var displayName, out var problem))
        {
            return ApiError.Validation("displayName", problem);
        }

        if (Password is not { Length: >= UserLimits.MinPasswordLength and <= UserLimits.MaxPasswordLength })
        {
            return ApiError.Validation("password", $"password must be {UserLimits.MinPasswordLength}–{UserLimits.MaxPasswordLength} characters.");
        }

        if (string.IsNullOrWhiteSpace(Password))
        {
            return ApiError.Validation("password", "password must not be only whitespace.");
        }

        if (string.Equals(Password.Trim(), username.Value, StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.Validation("password", "password must not be your username.");
        }

        return new NewUser(username, displayName, Password);
    }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"CreateUserRequest {{ Username = {Username}, DisplayName = {DisplayName} }}";
}

/// <summary>A validated registration; the display name as it will be stored (before PostgreSQL's NFC).</summary>
public sealed record NewUser(Username Username, string DisplayName, string Password)
{
    public override string ToString() => $"NewUser {{ Username = {Username} }}";
}
