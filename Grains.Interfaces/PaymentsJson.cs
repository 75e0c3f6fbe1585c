using System.Text.Json;
using System.Text.Json.Serialization;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;

namespace Payments.Grains.Interfaces;

/// <summary>The one JSON shape of the API (web defaults: camelCase; nulls omitted), shared by grains that store responses and the front end.</summary>
public static class PaymentsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>201 Created with the value as body.</summary>
    public static StoredResponse Created<T>(T value) => new(201, JsonSerializer.Serialize(value, Options));

    /// <summary>The error's status with body {code, message, field?, retryable?}.</summary>
    public static StoredResponse ToResponse(this PaymentError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var body = new ErrorBody(error.Code, error.Message, error.Field, error.Retryable ? true : null);
        return new StoredResponse(error.Status, JsonSerializer.Serialize(body, Options));
    }

    private sealed record ErrorBody(string Code, string Message, string? Field, bool? Retryable);
}
