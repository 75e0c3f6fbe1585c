using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Transfers;
using Payments.Grains.Interfaces.Wallets;

namespace Payments.Grains.Wallets;

/// <summary>Reads of a wallet's history and transfers; they go to the database, not the cache.</summary>
public sealed partial class WalletGrain
{
    public async Task<Outcome<HistoryPage>> History(int limit, string? startingAfter)
    {
        if (!_exists)
        {
            return NotFound();
        }

        if (limit is < 1 or > WalletLimits.MaxHistoryPage)
        {
            return PaymentError.Validation("limit", $"limit is between 1 and {WalletLimits.MaxHistoryPage}.");
        }

        TransactionId? cursor = null;
        if (startingAfter is not null)
        {
            if (!TransactionId.TryParse(startingAfter, out var parsed))
            {
                return PaymentError.Validation("startingAfter", "startingAfter is the id of an entry of this wallet's history.");
            }

            cursor = parsed;
        }

        var page = await store.HistoryAsync(_account, limit, cursor);
        return page is null
            ? PaymentError.Validation("startingAfter", "startingAfter is the id of an entry of this wallet's history.")
            : Outcome<HistoryPage>.Success(page);
    }

    public async Task<Outcome<TransferView>> GetTransfer(string transferId)
    {
        if (!_exists || !TransactionId.TryParse(transferId, out var id) || await store.GetTransferAsync(id, _account) is not { } transfer)
        {
            return new PaymentError(ErrorCodes.NotFound, "No such transfer.");
        }

        return transfer;
    }
}
