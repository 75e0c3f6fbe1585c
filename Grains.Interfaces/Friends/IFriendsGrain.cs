using Payments.Grains.Interfaces.Errors;
using Orleans;

namespace Payments.Grains.Interfaces.Friends;

/// <summary>
/// A user's friends and friend requests (key: user id). Reentrant: every call is one read or one transaction of the
/// friendship tables, whose constraints (one pending request per pair, primary keys) decide races.
/// </summary>
[Alias("friends")]
public interface IFriendsGrain : IGrainWithStringKey
{
    /// <summary>Asks <paramref name="addresseeId"/> to be friends; ALREADY_FRIENDS or FRIEND_REQUEST_PENDING (409) otherwise.</summary>
    Task<Outcome<FriendRequestView>> RequestFriendship(string addresseeId);

    /// <summary>Accepts a pending request addressed to this user; NOT_FOUND for anyone else's.</summary>
    Task<Outcome<FriendRequestView>> Accept(string requestId);

    Task<Outcome<FriendPage>> Friends(int limit, string? startingAfter);

    Task<Outcome<FriendRequestPage>> PendingRequests(string role, int limit, string? startingAfter);

    /// <summary>Ends the friendship both ways; false when the two are not friends.</summary>
    Task<bool> Remove(string friendId);
}
