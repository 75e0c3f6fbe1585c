using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Users;

namespace Payments.ApiFrontend.Apis;

/// <summary>Resolves a user named in a request body by id or by username.</summary>
internal static class UserLookup
{
    public static Task<UserProfile?> ResolveAsync(this IUserDirectoryGrain directory, RecipientRef user) =>
        user.Id is { } id ? directory.Find(id.Key) : directory.FindByUsername(user.Username!.Value.Value);

    /// <summary>
    /// The other party of a transfer or payment request: RECIPIENT_NOT_FOUND (404) when nobody has this id or username,
    /// INVALID_RECIPIENT (422) when it is the caller, both on <paramref name="field"/>.
    /// </summary>
    public static async Task<Parsed<UserProfile>> ResolveCounterpartyAsync(this IUserDirectoryGrain directory, RecipientRef user, string callerId, string field, string selfMessage)
    {
        var profile = await directory.ResolveAsync(user);
        if (profile is null)
        {
            return new ApiError(ErrorCodes.RecipientNotFound, "No user has this id or username.", field);
        }

        return string.Equals(profile.Id, callerId, StringComparison.OrdinalIgnoreCase)
            ? new ApiError(ErrorCodes.InvalidRecipient, selfMessage, field)
            : profile;
    }
}
