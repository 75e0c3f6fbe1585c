using Payments.ApiFrontend.Errors;

namespace Payments.ApiFrontend.Requests;

/// <summary>A value read or validated from a request, or the error to answer instead.</summary>
public readonly record struct Parsed<T>(T? Value, ApiError? Error)
{
    public bool Failed => Error is not null;

    public static implicit operator Parsed<T>(ApiError error) => new(default, error);

    public static implicit operator Parsed<T>(T value) => new(value, null);
}
