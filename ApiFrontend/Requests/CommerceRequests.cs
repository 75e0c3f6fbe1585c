using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Text;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/products.</summary>
public sealed record CreateProductRequest(
    [property: Required, MaxLength(CommerceLimits.MaxNameLength)] string? Name,
    [property: MaxLength(CommerceLimits.MaxDescriptionLength)] string? Description,
    [property: Required, Range(1, CommerceLimits.MaxPrice), Description("The unit price in minor units (cents).")] long? Price,
    [property: Required, Description("ISO 4217; the merchant's default currency.")] string? Currency,
    [property: Required, Range(0, CommerceLimits.MaxUnits), Description("Units for sale to start with.")] int? Units)
{
    public Parsed<NewProduct> Validate()
    {
        if (ProductText.Check(Name, Description) is { } invalid)
        {
            return invalid;
        }

        if (Price is not (>= 1 and <= CommerceLimits.MaxPrice))
        {
            return ApiError.InvalidAmount($"price is an integer number of minor units from 1 to {CommerceLimits.MaxPrice}.") with { Field = "price" };
        }

        if (Currency is null || Currency.Length != 3 || !Currency.All(char.IsAsciiLetterUpper))
        {
            return new ApiError(ErrorCodes.InvalidCurrency, "currency is an ISO 4217 code of three capital letters.", "currency");
        }

        return Units is >= 0 and <= CommerceLimits.MaxUnits
            ? new NewProduct(Name!.Trim(), Description?.Trim() ?? string.Empty, Price.Value, Currency, Units.Value)
            : ApiError.Validation("units", $"units is from 0 to {CommerceLimits.MaxUnits}.");
    }
}

/// <summary>PATCH /v1/products/{id}: the fields present change.</summary>
public sealed record UpdateProductRequest(
    [property: MaxLength(CommerceLimits.MaxNameLength)] string? Name,
    [property: MaxLength(CommerceLimits.MaxDescriptionLength)] string? Description,
    [property: Range(1, CommerceLimits.MaxPrice), Description("The unit price in minor units; orders placed before keep theirs.")] long? Price,
    [property: Description("false takes the product out of listings and orders; true puts it back.")] bool? Active)
{
    public Parsed<ProductChanges> Validate()
    {
        if (Name is null && Description is null && Price is null && Active is null)
        {
            return ApiError.Validation("name", "Name at least one of name, description, price and active.");
        }

        if (ProductText.Check(Name ?? "unchanged", Description) is { } invalid)
        {
            return invalid;
        }

        return Price is null or (>= 1 and <= CommerceLimits.MaxPrice)
            ? new ProductChanges(Name?.Trim(), Description?.Trim(), Price, Active)
            : ApiError.InvalidAmount($"price is an integer number of minor units from 1 to {CommerceLimits.MaxPrice}.") with { Field = "price" };
    }
}

/// <summary>POST /v1/products/{id}/restock.</summary>
public sealed record RestockRequest([property: Required, Range(1, CommerceLimits.MaxUnits)] int? Units)
{
    public Parsed<int> Validate() =>
        Units is >= 1 and <= CommerceLimits.MaxUnits ? Units.Value : ApiError.Validation("units", $"units is from 1 to {CommerceLimits.MaxUnits}.");
}

/// <summary>POST /v1/orders: 1 to 20 lines of one merchant's products, and how the buyer pays.</summary>
public sealed record PlaceOrderRequest(
    [property: Required, MinLength(1), MaxLength(CommerceLimits.MaxOrderLines)] List<OrderItemRequest?>? Items,
    [property: Required] OrderPaymentMethodRequest? PaymentMethod,
    [property: MaxLength(CommerceLimits.MaxShippingAddressLength), Description("Where a physical product would go; digital products ignore it.")] string? ShippingAddress)
{
    public Parsed<(IReadOnlyList<StockRequest> Items, OrderPaymentMethod PaymentMethod, string? ShippingAddress)> Validate()
    {
        if (Items is not { Count: >= 1 and <= CommerceLimits.MaxOrderLines })
        {
            return ApiError.Validation("items", $"items is a list of 1 to {CommerceLimits.MaxOrderLines} lines.");
        }

        var items = new List<StockRequest>(Items.Count);
        for (var i = 0; i < Items.Count; i++)
        {
            if (Items[i] is not { Product: not null } item)
            {
                return ApiError.Validation($"items[{i}].product", "Each line is {\"product\": \"prod_…\", \"quantity\": n}.");
            }

            if (!PrefixedId.IsValid(item.Product, PrefixedId.Product))
            {
                return new ApiError(ErrorCodes.NotFound, "No such product.", $"items[{i}].product");
            }

            if (item.Quantity is not (>= 1 and <= CommerceLimits.MaxLineQuantity))
            {
                return ApiError.Validation($"items[{i}].quantity", $"quantity is from 1 to {CommerceLimits.MaxLineQuantity}.");
            }

            if (items.Any(earlier => earlier.Product == item.Product))
            {
                return ApiError.Validation($"items[{i}].product", "Each product appears on one line; raise its quantity instead.");
            }

            items.Add(new StockRequest(item.Product!, item.Quantity.Value));
        }

        if (ShippingAddress is not null && (FreeText.CharacterCount(ShippingAddress) > CommerceLimits.MaxShippingAddressLength || !FreeText.IsStorable(ShippingAddress)))
        {
            return ApiError.Validation("shippingAddress", $"shippingAddress is at most {CommerceLimits.MaxShippingAddressLength} characters of text.");
        }

        return PaymentMethod switch
        {
            { Type: "wallet", Card: null } => (items, new OrderPaymentMethod("wallet", null), ShippingAddress),
            { Type: "card" } when PrefixedId.IsValid(PaymentMethod.Card, PrefixedId.Card) => (items, new OrderPaymentMethod("card", PaymentMethod.Card), ShippingAddress),
            { Type: "card" } => new ApiError(ErrorCodes.NotFound, "No such card.", "paymentMethod.card"),
            _ => ApiError.Validation("paymentMethod", "paymentMethod is {\"type\": \"wallet\"} or {\"type\": \"card\", \"card\": \"card_…\"}."),
        };
    }
}

public sealed record OrderItemRequest(
    [property: Required, Description("A product id (prod_…).")] string? Product,
    [property: Required, Range(1, CommerceLimits.MaxLineQuantity)] int? Quantity);

public sealed record OrderPaymentMethodRequest(
    [property: Required, Description("wallet or card.")] string? Type,
    [property: Description("For card: a card of your card wallet (card_…), paid as a card on file through its network.")] string? Card);

/// <summary>The text rules of a product's name and description.</summary>
internal static class ProductText
{
    public static ApiError? Check(string? name, string? description)
    {
        if (string.IsNullOrWhiteSpace(name) || FreeText.CharacterCount(name) > CommerceLimits.MaxNameLength || !FreeText.IsStorable(name))
        {
            return ApiError.Validation("name", $"name is 1 to {CommerceLimits.MaxNameLength} characters of text.");
        }

        return description is not null && (FreeText.CharacterCount(description) > CommerceLimits.MaxDescriptionLength || !FreeText.IsStorable(description))
            ? ApiError.Validation("description", $"description is at most {CommerceLimits.MaxDescriptionLength} characters of text.")
            : null;
    }
}
