namespace Payments.Grains.Notifications;

/// <summary>
/// The data of a balance_updated notification: the signed change (credit positive) and the transfer that made it.
/// It carries no balance on purpose: reading one would cost a database read per party on the notification path and
/// could already be stale; clients that show the balance read GET /v1/wallet.
/// </summary>
public sealed record BalanceUpdate(string TransferId, long Change, string Currency);
