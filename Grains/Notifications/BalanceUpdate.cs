namespace Orleans.Payments.Grains.Notifications;

/// <summary>The data of a balance_updated notification: the wallet when notified, and the transfer that changed it.</summary>
public sealed record BalanceUpdate(long Balance, long Available, string Currency, string TransferId);
