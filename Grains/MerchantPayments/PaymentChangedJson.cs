using System.Text.Json.Serialization;
using Payments.Grains.Interfaces.MerchantPayments;

namespace Payments.Grains.MerchantPayments;

/// <summary>
/// A <see cref="PaymentChangedEvent"/> on the wire, with its payment as the view's JSON text (see
/// <see cref="RawJsonConverter"/>): the same document, written without serializing the view again, and read by
/// consumers that pass the payment on (webhooks) without materializing it.
/// </summary>
public sealed record PaymentChangedJson(string Type, long? Amount, DateTimeOffset At, int Version, [property: JsonConverter(typeof(RawJsonConverter))] string Payment);
