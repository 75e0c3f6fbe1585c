using System.Text.Json.Serialization;
using Orleans.Payments.Runtime;

namespace Orleans.Payments.Grains.Interfaces.Idempotency;

/// <summary>
/// One idempotency key of one caller (key: "{userId}/{idempotencyKey}"). Non-reentrant, so requests with the
/// same key run one at a time: a repeat waits for the first request's outcome and gets the same response.
/// </summary>
[GrainType("idempotency")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs the command once. A repeat with the same <paramref name="requestHash"/> returns the stored response;
    /// a different hash returns 422 IDEMPOTENCY_KEY_REUSED.
    /// </summary>
    Task<StoredResponse> Execute(IdempotentCommand command, string requestHash);
}

/// <summary>A money-moving command that runs at most once per idempotency key.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(TransferCommand), "transfer")]
[JsonDerivedType(typeof(DepositCommand), "deposit")]
[JsonDerivedType(typeof(WithdrawalCommand), "withdrawal")]
public abstract record IdempotentCommand(string UserId);

public sealed record TransferCommand(string UserId, string RecipientId, long Amount, string Currency, string Note, string Visibility) : IdempotentCommand(UserId);

public sealed record DepositCommand(string UserId, long Amount) : IdempotentCommand(UserId);

public sealed record WithdrawalCommand(string UserId, long Amount) : IdempotentCommand(UserId);

/// <summary>Identifies the idempotency record written with an effect.</summary>
public sealed record IdempotencyStamp(string Scope, string Key, string RequestHash);
