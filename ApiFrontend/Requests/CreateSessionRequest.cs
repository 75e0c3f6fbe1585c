using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Users;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/sessions.</summary>
public sealed record CreateSessionRequest(
    [property: Required] string? Username,
    [property: Required] string? Password,
    [property: Description("Binds the session to one of your devices (\"dev_…\"): reporting the device lost revokes the session.")] string? DeviceId = null)
{
    /// <summary>
    /// Missing fields are 400. A username or password that no account could have is answered like a wrong password
    /// (401 INVALID_CREDENTIALS) without asking the directory, so nothing tells which part was wrong.
    /// </summary>
    public Parsed<Credentials> Validate()
    {
        if (string.IsNullOrEmpty(Username))
        {
            return ApiError.Validation("username", "username is required.");
        }

        if (string.IsNullOrEmpty(Password))
        {
            return ApiError.Validation("password", "password is required.");
        }

        if (!Grains.Interfaces.Identity.Username.TryParse(Username, out var username) || Password.Length > UserLimits.MaxPasswordLength)
        {
            return InvalidCredentials;
        }

        if (DeviceId is not null && !Grains.Interfaces.Merchants.PrefixedId.IsValid(DeviceId, Grains.Interfaces.Merchants.PrefixedId.Device))
        {
            return new ApiError(ErrorCodes.NotFound, "No such device.", "deviceId");
        }

        return new Credentials(username, Password, DeviceId);
    }

    public static ApiError InvalidCredentials { get; } = new(ErrorCodes.InvalidCredentials, "Unknown username or wrong password.");

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"CreateSessionRequest {{ Username = {Username} }}";
}

/// <summary>A validated login.</summary>
public sealed record Credentials(Username Username, string Password, string? DeviceId)
{
    public override string ToString() => $"Credentials {{ Username = {Username} }}";
}
