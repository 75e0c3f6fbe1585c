using Orleans.Payments.ApiFrontend.Requests;
using Orleans.Payments.Grains.Interfaces.Users;

namespace Orleans.Payments.ApiFrontend.Apis;

/// <summary>Resolves a user named in a request body by id or by username.</summary>
internal static class UserLookup
{
    public static Task<UserProfile?> ResolveAsync(this IUserDirectoryGrain directory, RecipientRef user) =>
        user.Id is { } id ? directory.Find(id.Key) : directory.FindByUsername(user.Username!.Value.Value);
}
