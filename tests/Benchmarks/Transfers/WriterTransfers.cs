using System.Text.Json;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Ledger;
using Payments.Grains.Interfaces.Transfers;
using Payments.Grains.Ledger;
using Payments.Grains.Notifications;
using Payments.Infrastructure.Streams;

namespace Payments.Benchmarks.Transfers;

/// <summary>
/// The writer path, a diagnostic: the ledger writer alone, fed the entry a wallet grain would build for a transfer
/// (movement, idempotency record, TransferCompleted event), so grain hops and admission are left out.
/// </summary>
internal static class WriterTransfers
{
    public static async Task<bool> SendAsync(LedgerWriter writer, string from, string to)
    {
        var id = TransactionId.New();
        var now = DateTimeOffset.UtcNow;
        var fromAccount = LedgerAccounts.Wallet(new UserId(Guid.Parse(from)), "USD");
        var view = new TransferView(id.ToString(), from, to, 1, "USD", "", "public", TransferStatus.Completed, now);
        var key = Guid.NewGuid().ToString("N");
        var entry = new LedgerEntry(
            id, LedgerEntryTypes.Transfer, now,
            [new LedgerMovement(fromAccount, LedgerAccounts.Wallet(new UserId(Guid.Parse(to)), "USD"), 1, "USD")],
            new TransferRemark("", "public"),
            new IdempotencyStamp(from, key, key),
            balances => PaymentsJson.Created(new TransferReceipt(view, balances.BalanceAfter(fromAccount))),
            [OutboxMessage.Create(TransferStream.Namespace, from, TransferStream.TransferCompleted, JsonSerializer.Serialize(view, PaymentsJson.Options))]);
        return await writer.SubmitAsync(entry) is LedgerResult.Committed;
    }
}
