using System.Text.Json;

namespace Payments.Grains.Interfaces.Notifications;

/// <summary>
/// One notification as clients see it: <c>{type, data, id, createdAt}</c>. <see cref="Id"/> is stable, derived from
/// the source event and the type (<see cref="NotificationIds.For"/>), so a redelivered event does not notify twice.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NotificationMessage(string Id, string Type, JsonElement Data, DateTimeOffset CreatedAt);
