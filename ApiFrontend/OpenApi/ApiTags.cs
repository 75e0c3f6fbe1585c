namespace Payments.ApiFrontend.OpenApi;

/// <summary>The OpenAPI tags the endpoints are grouped under, each with the description the reference shows.</summary>
public static class ApiTags
{
    public const string Users = "Users";
    public const string Sessions = "Sessions";
    public const string Wallet = "Wallet";
    public const string Transfers = "Transfers";
    public const string PaymentRequests = "Payment requests";
    public const string Friends = "Friends";
    public const string Feed = "Feed";
    public const string Notifications = "Notifications";
    public const string Merchants = "Merchants";
    public const string MerchantPayments = "Merchant payments";
    public const string Webhooks = "Webhooks";
    public const string CardWallet = "Card wallet";
    public const string Commerce = "Commerce";
    public const string Admin = "Admin";
    public const string Operations = "Operations";

    /// <summary>Every tag in the order the reference lists them, with its description.</summary>
    public static IReadOnlyList<(string Name, string Description)> All { get; } =
    [
        (Users, "Sign up, read and change your own profile, and find other users by username or display name."),
        (Sessions, "Sign in with a username and password for a bearer session token, and sign out. Sign-in is limited per address and per username, and repeated failures lock the account for a while."),
        (Wallet, "Your USD wallet: its balance, deposits from and withdrawals to your (simulated) linked bank account (or instantly to a debit card, for a fee), its history with the balance after each line, and the funding sources that cover a send larger than the balance. Amounts are integers in cents."),
        (Transfers, "Peer-to-peer payments from your wallet to another user's, exactly once per Idempotency-Key, with a note and a visibility for the feed."),
        (PaymentRequests, "Ask another user for money; they pay (a transfer, exactly once) or decline, and you may cancel while it is pending."),
        (Friends, "Friend requests and friendships. Friends see each other's transfers of visibility `friends` in their feeds."),
        (Feed, "Transfers as a social feed: yours and your friends', and everyone's public ones, with likes and comments. Amounts appear only to the two parties."),
        (Notifications, "What happened to you (payments received, requests, balance changes): a WebSocket pushes each as it is stored, and the inbox returns what a client missed."),
        (Merchants, "Businesses that take payments: create one (you own it), and issue, roll and revoke its secret API keys. Managed with your session."),
        (MerchantPayments, "A merchant's payments through its API key (`Bearer sk_test_…`): authorize and capture cards or wallet payments, void, refund, list with filters, each payment's events, and the merchant's balance. Every mutation takes an Idempotency-Key. A wallet payment is confirmed by its payer's session."),
        (Webhooks, "Signed notifications of a merchant's payment events to its endpoints (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`), retried for about a day and a half, with a delivery log, resends and test pings. Managed with the merchant's API key."),
        (CardWallet, "Your devices and the cards on them: a card is provisioned into a network token bound to one device (the card number is never stored), may need a code to verify it, and can be suspended, reactivated, removed or made the default. A device reported lost has its cards suspended and its sessions revoked. Merchant payments are paid in-app with a card's cryptogram from its device."),
        (Commerce, "A merchant's products with their stock (managed with its API key or its owner's session; listed publicly), buyers' orders paid from the wallet or with a card of the card wallet, each run by a saga (reserve stock, authorize, capture, fulfil) that compensates in reverse when a step fails, the orders' event logs, and the merchant's audit log."),
        (Admin, "Operator endpoints behind the operator token: the ledger audit, freezing wallets, the cluster's silos, payouts owed, stream dead letters, running a merchant's settlement now, reconciling bank statements, failure injection into the simulated card networks, stuck orders, and the whole audit log."),
        (Operations, "Health probes for orchestrators, Prometheus metrics and the Orleans Dashboard."),
    ];
}
