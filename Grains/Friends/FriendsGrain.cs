using Microsoft.Extensions.Logging;
using Payments.Infrastructure.Placement;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Friends;
using Payments.Grains.Interfaces.Identity;
using Orleans;

namespace Payments.Grains.Friends;

/// <summary>One user's friendships over <see cref="FriendStore"/>; the table constraints settle concurrent requests.</summary>
[Reentrant]
[UserAffinityPlacement]
[GrainType("friends")]
public sealed partial class FriendsGrain(FriendStore store, TimeProvider time, ILogger<FriendsGrain> logger) : Grain, IFriendsGrain
{
    public async Task<Outcome<FriendRequestView>> RequestFriendship(string addresseeId)
    {
        if (!UserId.TryParse(this.GetPrimaryKeyString(), out var user) || !UserId.TryParse(addresseeId, out var addressee))
        {
            return new PaymentError(ErrorCodes.NotFound, "No such user.", "username");
        }

        if (user == addressee)
        {
            return new PaymentError(ErrorCodes.InvalidRecipient, "You cannot befriend yourself.", "username");
        }

        var outcome = await store.RequestAsync(Guid.Parse(SocialId.New()), user.Value, addressee.Value, DatabaseTime.Now(time));
        if (outcome.Value is { } request)
        {
            LogRequested(logger, request.Id, user.Key, addressee.Key);
        }

        return outcome;
    }

    public async Task<Outcome<FriendRequestView>> Accept(string requestId)
    {
        if (!UserId.TryParse(this.GetPrimaryKeyString(), out var user) || !SocialId.TryParse(requestId, out var id)
            || await store.AcceptAsync(id, user.Value, DatabaseTime.Now(time)) is not { } accepted)
        {
            return new PaymentError(ErrorCodes.NotFound, "No such friend request.");
        }

        return accepted;
    }

    public async Task<Outcome<FriendPage>> Friends(int limit, string? startingAfter)
    {
        if (Page(limit, startingAfter, "the user id of a friend") is { } invalid)
        {
            return invalid;
        }

        return await store.FriendsAsync(Guid.Parse(this.GetPrimaryKeyString()), limit, PageQuery.Cursor(startingAfter));
    }

    public async Task<Outcome<FriendRequestPage>> PendingRequests(string role, int limit, string? startingAfter)
    {
        if (!FriendRequestRole.IsValid(role))
        {
            return PaymentError.Validation("role", "role is received or sent.");
        }

        if (Page(limit, startingAfter, "the id of a friend request") is { } invalid)
        {
            return invalid;
        }

        return await store.PendingAsync(Guid.Parse(this.GetPrimaryKeyString()), role, limit, PageQuery.Cursor(startingAfter));
    }

    public async Task<bool> Remove(string friendId) =>
        UserId.TryParse(this.GetPrimaryKeyString(), out var user) && UserId.TryParse(friendId, out var friend)
        && await store.RemoveAsync(user.Value, friend.Value);

    private PaymentError? Page(int limit, string? startingAfter, string cursorMeaning) =>
        UserId.TryParse(this.GetPrimaryKeyString(), out _)
            ? PageQuery.Check(limit, startingAfter, "startingAfter", cursorMeaning)
            : new PaymentError(ErrorCodes.NotFound, "No such user.");

    [LoggerMessage(1, LogLevel.Information, "Friend request {RequestId} from {Requester} to {Addressee}")]
    private static partial void LogRequested(ILogger logger, string requestId, string requester, string addressee);
}
