using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Grains.MerchantPayments;

/// <summary>
/// A JSON value kept as its text: written as it is, read back as its text. A payment's view is serialized once per
/// change and that text goes into its row, its stream event, the answer to its request and its webhook event, instead of
/// being printed, parsed into objects and printed again at each step.
/// </summary>
public sealed class RawJsonConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    // The text comes from this process's serializer (a view), so it is valid JSON: no second pass to check it.
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value, skipInputValidation: true);
}
