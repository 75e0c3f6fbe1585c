namespace Payments.Grains.Interfaces.Errors;

/// <summary>Stable error codes of the API and the HTTP status each one maps to.</summary>
public static class ErrorCodes
{
    public const string ValidationError = "VALIDATION_ERROR";
    public const string InvalidAmount = "INVALID_AMOUNT";
    public const string InvalidCurrency = "INVALID_CURRENCY";
    public const string CurrencyMismatch = "CURRENCY_MISMATCH";
    public const string InsufficientFunds = "INSUFFICIENT_FUNDS";
    public const string RecipientNotFound = "RECIPIENT_NOT_FOUND";
    public const string InvalidRecipient = "INVALID_RECIPIENT";
    public const string DailyLimitExceeded = "DAILY_LIMIT_EXCEEDED";
    public const string AccountFrozen = "ACCOUNT_FROZEN";
    public const string IdempotencyKeyRequired = "IDEMPOTENCY_KEY_REQUIRED";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string UsernameTaken = "USERNAME_TAKEN";
    public const string InvalidCredentials = "INVALID_CREDENTIALS";

    /// <summary>Failed sign-ins for this username: the next attempt waits until the time given (429, with Retry-After).</summary>
    public const string TooManyAttempts = "TOO_MANY_ATTEMPTS";

    /// <summary>So many failed sign-ins for this username that it is locked for a while (423, with Retry-After).</summary>
    public const string AccountLocked = "ACCOUNT_LOCKED";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";

    /// <summary>A browser-session request without its CSRF token, or from another site (403).</summary>
    public const string CsrfRejected = "CSRF_REJECTED";
    public const string NotFound = "NOT_FOUND";
    public const string RequestTooLarge = "REQUEST_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string RateLimited = "RATE_LIMITED";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>A payment request that is no longer pending (paid, declined, cancelled or expired) cannot be acted on.</summary>
    public const string RequestNotPending = "REQUEST_NOT_PENDING";

    public const string AlreadyFriends = "ALREADY_FRIENDS";

    /// <summary>A friend request between the two users is already waiting (either way round); the addressee accepts it.</summary>
    public const string FriendRequestPending = "FRIEND_REQUEST_PENDING";

    /// <summary>A hold (a pending posting) is not in a state that allows the change asked of it; the ledger's refusal, which the payment's grain turns into its own.</summary>
    public const string HoldNotAvailable = "HOLD_NOT_AVAILABLE";

    /// <summary>A payment's state does not allow capture (not authorized, or already captured, canceled or expired).</summary>
    public const string PaymentNotCapturable = "PAYMENT_NOT_CAPTURABLE";

    /// <summary>A payment's state does not allow voiding (only an authorized, uncaptured payment can be voided).</summary>
    public const string PaymentNotCancelable = "PAYMENT_NOT_CANCELABLE";

    /// <summary>A payment's state does not allow confirmation (only a wallet payment awaiting its payer's confirmation).</summary>
    public const string PaymentNotConfirmable = "PAYMENT_NOT_CONFIRMABLE";

    /// <summary>Only a succeeded (captured) payment can be refunded.</summary>
    public const string PaymentNotRefundable = "PAYMENT_NOT_REFUNDABLE";

    /// <summary>The refunds of a payment would exceed what was captured.</summary>
    public const string RefundExceedsCaptured = "REFUND_EXCEEDS_CAPTURED";

    /// <summary>A card number that fails its checks (digits, length, Luhn), an expiry or CVC of the wrong form, or a card from no supported network.</summary>
    public const string InvalidCard = "INVALID_CARD";

    /// <summary>The card was declined (402); the error carries a declineCode.</summary>
    public const string CardDeclined = "CARD_DECLINED";

    /// <summary>The payment's fraud score is at or above the merchant's block threshold (402; nothing was authorized).</summary>
    public const string FraudBlocked = "FRAUD_BLOCKED";

    /// <summary>A valid card number of a network the card wallet does not support.</summary>
    public const string UnsupportedCard = "UNSUPPORTED_CARD";

    /// <summary>A card network did not answer, or its circuit is open (503, retryable; nothing changed).</summary>
    public const string NetworkUnavailable = "NETWORK_UNAVAILABLE";

    /// <summary>The user has as many devices as allowed.</summary>
    public const string DeviceLimitReached = "DEVICE_LIMIT_REACHED";

    /// <summary>The device holds as many cards as allowed.</summary>
    public const string CardLimitReached = "CARD_LIMIT_REACHED";

    /// <summary>The device was reported lost: nothing more is added to it, and its cards cannot pay.</summary>
    public const string DeviceLost = "DEVICE_LOST";

    /// <summary>This card is already on this device (409; the card's id is in the message).</summary>
    public const string CardAlreadyAdded = "CARD_ALREADY_ADDED";

    /// <summary>The card's status does not allow this change (e.g. reactivating an active card, paying with a suspended one).</summary>
    public const string CardStatusConflict = "CARD_STATUS_CONFLICT";

    /// <summary>The default funding source refused to cover a send larger than the balance (402; nothing moved).</summary>
    public const string FundingDeclined = "FUNDING_DECLINED";

    /// <summary>A wrong verification code.</summary>
    public const string VerificationFailed = "VERIFICATION_FAILED";

    /// <summary>Too many wrong verification codes: the card's verification is locked until retryAfter.</summary>
    public const string VerificationLocked = "VERIFICATION_LOCKED";

    /// <summary>A product has fewer units than an order asks for (the order reserved nothing and was charged nothing).</summary>
    public const string OutOfStock = "OUT_OF_STOCK";

    /// <summary>A product that is not for sale (deactivated or deleted) cannot be ordered.</summary>
    public const string ProductUnavailable = "PRODUCT_UNAVAILABLE";

    /// <summary>The order is fulfilled or already ended: it can no longer be canceled.</summary>
    public const string OrderNotCancelable = "ORDER_NOT_CANCELABLE";

    /// <summary>Only a fulfilled order can be refunded.</summary>
    public const string OrderNotRefundable = "ORDER_NOT_REFUNDABLE";

    public static int StatusOf(string code) => code switch
    {
        ValidationError or InvalidAmount or InvalidCurrency or InvalidCard => 400,
        Unauthenticated or InvalidCredentials => 401,
        Forbidden or CsrfRejected => 403,
        NotFound or RecipientNotFound => 404,
        UsernameTaken or RequestNotPending or AlreadyFriends or FriendRequestPending or HoldNotAvailable
            or PaymentNotCapturable or PaymentNotCancelable or PaymentNotConfirmable or PaymentNotRefundable or RefundExceedsCaptured
            or DeviceLost or CardAlreadyAdded or CardStatusConflict or OutOfStock or ProductUnavailable or OrderNotCancelable or OrderNotRefundable => 409,
        CardDeclined or FraudBlocked or FundingDeclined => 402,
        RequestTooLarge => 413,
        UnsupportedMediaType => 415,
        IdempotencyKeyRequired => 400,
        InsufficientFunds or InvalidRecipient or DailyLimitExceeded or AccountFrozen or IdempotencyKeyReused or CurrencyMismatch
            or UnsupportedCard or DeviceLimitReached or CardLimitReached or VerificationFailed => 422,
        AccountLocked or VerificationLocked => 423,
        RateLimited or TooManyAttempts => 429,
        ServiceUnavailable or NetworkUnavailable => 503,
        _ => 500,
    };

    /// <summary>Failures a client may retry with the same idempotency key.</summary>
    public static bool IsRetryable(string code) => code is ServiceUnavailable or NetworkUnavailable or RateLimited or TooManyAttempts or AccountLocked;
}
