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

    public static int StatusOf(string code) => code switch
    {
        ValidationError or InvalidAmount or InvalidCurrency => 400,
        Unauthenticated or InvalidCredentials => 401,
        Forbidden => 403,
        NotFound or RecipientNotFound => 404,
        UsernameTaken or RequestNotPending or AlreadyFriends or FriendRequestPending => 409,
        RequestTooLarge => 413,
        UnsupportedMediaType => 415,
        IdempotencyKeyRequired => 400,
        InsufficientFunds or InvalidRecipient or DailyLimitExceeded or AccountFrozen or IdempotencyKeyReused or CurrencyMismatch => 422,
        AccountLocked => 423,
        RateLimited or TooManyAttempts => 429,
        ServiceUnavailable => 503,
        _ => 500,
    };

    /// <summary>Failures a client may retry with the same idempotency key.</summary>
    public static bool IsRetryable(string code) => code is ServiceUnavailable or RateLimited or TooManyAttempts or AccountLocked;
}
