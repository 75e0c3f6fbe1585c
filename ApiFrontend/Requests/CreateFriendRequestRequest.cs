using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Identity;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/friends/requests {username}.</summary>
public sealed record CreateFriendRequestRequest(
    [property: Required, Description("The username of the user to ask.")] string? Username)
{
    public Parsed<Username> Validate() =>
        Grains.Interfaces.Identity.Username.TryParse(Username, out var name)
            ? name
            : ApiError.Validation("username", "username is 3 to 32 characters of a-z, 0-9 and _.");
}
