namespace Payments.Grains.Interfaces.Errors;

/// <summary>The result of a grain operation that can fail for business reasons: a value or a <see cref="PaymentError"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record Outcome<T>(T? Value, PaymentError? Error)
{
    public bool Succeeded => Error is null;

    public static Outcome<T> Success(T value) => new(value, null);

    public static Outcome<T> Failure(PaymentError error) => new(default, error);

    public static implicit operator Outcome<T>(PaymentError error) => Failure(error);

    public static implicit operator Outcome<T>(T value) => Success(value);
}
