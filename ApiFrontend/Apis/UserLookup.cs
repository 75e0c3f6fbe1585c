using Orleans;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Users;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>
/// Resolves a user named in a request body by id or by username: from this process's profiles
/// (<see cref="UserProfileCache"/>, profiles never change), else from the user directory grain. Most transfers go to
/// someone paid before, so most resolve without a grain call.
/// </summary>
public sealed class UserLookup(IGrainFactory grains)
{
    private const int MaxCachedProfiles = 100_000;

    private readonly UserProfileCache _profiles = new(MaxCachedProfiles);

    public async Task<UserProfile?> ResolveAsync(RecipientRef user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Id is { } id)
        {
            return _profiles.TryGetById(id.Key, out var known) ? known : _profiles.Remember(await Directory.Find(id.Key));
        }

        var name = user.Username!.Value.Value;
        return _profiles.TryGetByUsername(name, out var named) ? named : _profiles.Remember(await Directory.FindByUsername(name));
    }

    /// <summary>
    /// The other party of a transfer or payment request: RECIPIENT_NOT_FOUND (404) when nobody has this id or username,
    /// INVALID_RECIPIENT (422) when it is the caller, both on <paramref name="field"/>.
    /// </summary>
    public async Task<Parsed<UserProfile>> ResolveCounterpartyAsync(RecipientRef user, string callerId, string field, string selfMessage)
    {
        var profile = await ResolveAsync(user);
        if (profile is null)
        {
            return new ApiError(ErrorCodes.RecipientNotFound, "No user has this id or username.", field);
        }

        return string.Equals(profile.Id, callerId, StringComparison.OrdinalIgnoreCase)
            ? new ApiError(ErrorCodes.InvalidRecipient, selfMessage, field)
            : profile;
    }

    private IUserDirectoryGrain Directory => grains.Reference<IUserDirectoryGrain>(GrainKeys.UserDirectory);
}
