using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Orleans;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Text;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/products: a merchant's products (its API key or its owner's session), listed publicly.</summary>
public static class ProductsApi
{
    private const int MaxSearchLength = 64;

    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/products").WithTags(ApiTags.Commerce);

        group.MapPost("/", CreateProduct)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithName(nameof(CreateProduct))
            .WithSummary("Create a product")
            .WithDescription("A product of the merchant (the API key's, or with the owner's session the one `merchant` names), priced in its default currency, with `units` for sale. Listed at once.")
            .Accepts<CreateProductRequest>("application/json")
            .Produces<ProductView>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.InvalidAmount, ErrorCodes.InvalidCurrency, ErrorCodes.CurrencyMismatch, ErrorCodes.NotFound);
        group.MapGet("/", ListProducts)
            .AllowAnonymous()
            .WithName(nameof(ListProducts))
            .WithSummary("List products")
            .WithDescription("Public: active products, newest first, of one `merchant` or all, whose name contains `q`; `startingAfter` is a product id. Served from the products' read model (a listing may trail the stock by a moment), never from the stock itself.")
            .Produces<ProductPage>()
            .ProducesErrors(ErrorCodes.ValidationError);
        group.MapGet("/{id}", GetProduct)
            .AllowAnonymous()
            .WithName(nameof(GetProduct))
            .WithSummary("Get a product")
            .WithDescription("Public, deleted products included (an order's product stays readable; `deletedAt` says it is gone).")
            .Produces<ProductView>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapPatch("/{id}", UpdateProduct)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithName(nameof(UpdateProduct))
            .WithSummary("Change a product")
            .WithDescription("Changes the fields present. A new price applies to orders placed from now on; `active: false` takes it out of listings and orders. Audited with the old and new values.")
            .Accepts<UpdateProductRequest>("application/json")
            .Produces<ProductView>()
            .ProducesErrors(ErrorCodes.InvalidAmount, ErrorCodes.NotFound);
        group.MapPost("/{id}/restock", RestockProduct)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithName(nameof(RestockProduct))
            .WithSummary("Restock a product")
            .WithDescription("Adds units for sale (an Orleans transaction on the product's stock). Audited.")
            .Accepts<RestockRequest>("application/json")
            .Produces<ProductView>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapDelete("/{id}", DeleteProduct)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithName(nameof(DeleteProduct))
            .WithSummary("Delete a product")
            .WithDescription("A soft delete: the product leaves listings and cannot be ordered, but stays readable by id (its orders name it) and is kept. Audited.")
            .Produces<ProductView>()
            .ProducesErrors(ErrorCodes.NotFound);
        return group;
    }

    public static async Task<IResult> CreateProduct(HttpContext context, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant)
    {
        var scope = await DashboardMerchant.ResolveAsync(caller, merchant, grains);
        if (scope.Error is { } notOwned)
        {
            return ApiResults.Error(notOwned);
        }

        var body = await JsonBody.ReadAsync<CreateProductRequest>(context.Request);
        if (body.Error is { } unreadable)
        {
            return ApiResults.Error(unreadable);
        }

        var product = body.Value!.Validate();
        if (product.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var created = await grains.Reference<IProductGrain>(PrefixedId.New(PrefixedId.Product)).Create(scope.Value!, CallerActor.Of(caller), product.Value!);
        return ApiResults.Created(created);
    }

    public static async Task<IResult> ListProducts([FromServices] IGrainFactory grains, [FromQuery] string? merchant, [FromQuery] string? q, [FromQuery] string? limit, [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        if (pageSize.Error is { } badLimit)
        {
            return ApiResults.Error(badLimit);
        }

        if (q is not null && (q.Length is 0 or > MaxSearchLength || !FreeText.IsStorable(q)))
        {
            return ApiResults.Error(ApiError.Validation("q", $"q is 1 to {MaxSearchLength} characters of text."));
        }

        return ApiResults.Ok(await grains.GetGrain<IProductCatalogGrain>(0).List(new ProductQuery(merchant, q, pageSize.Value, startingAfter)));
    }

    public static async Task<IResult> GetProduct(string id, [FromServices] IGrainFactory grains) =>
        await grains.GetGrain<IProductCatalogGrain>(0).Find(id) is { } product
            ? ApiResults.Json(product)
            : ApiResults.Error(ApiError.NotFound("No such product."));

    public static async Task<IResult> UpdateProduct(string id, HttpContext context, ClaimsPrincipal caller, [FromServices] IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<UpdateProductRequest>(context.Request);
        if (body.Error is { } unreadable)
        {
            return ApiResults.Error(unreadable);
        }

        var changes = body.Value!.Validate();
        return changes.Error is { } invalid
            ? ApiResults.Error(invalid)
            : await OnProductAsync(id, caller, grains, (product, merchant, actor) => product.Update(merchant, actor, changes.Value!));
    }

    public static async Task<IResult> RestockProduct(string id, HttpContext context, ClaimsPrincipal caller, [FromServices] IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<RestockRequest>(context.Request);
        if (body.Error is { } unreadable)
        {
            return ApiResults.Error(unreadable);
        }

        var units = body.Value!.Validate();
        return units.Error is { } invalid
            ? ApiResults.Error(invalid)
            : await OnProductAsync(id, caller, grains, (product, merchant, actor) => product.Restock(merchant, actor, units.Value));
    }

    public static Task<IResult> DeleteProduct(string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains) =>
        OnProductAsync(id, caller, grains, (product, merchant, actor) => product.Delete(merchant, actor));

    /// <summary>
    /// Runs a change on a product for its merchant: the API key's merchant, or for a session the product's merchant if
    /// the caller owns it. Anything else is 404, as for an unknown product.
    /// </summary>
    private static async Task<IResult> OnProductAsync(string id, ClaimsPrincipal caller, IGrainFactory grains, Func<IProductGrain, string, string, Task<Outcome<ProductView>>> change)
    {
        if (!PrefixedId.IsValid(id, PrefixedId.Product))
        {
            return ApiResults.Error(ApiError.NotFound("No such product."));
        }

        var product = grains.Reference<IProductGrain>(id);
        string merchant;
        if (CallerActor.IsApiKey(caller))
        {
            merchant = caller.MerchantId();
        }
        else if ((await product.Get()).Value is { } found && (await grains.Reference<IMerchantGrain>(found.Merchant).Get(caller.UserId())).Error is null)
        {
            merchant = found.Merchant;
        }
        else
        {
            return ApiResults.Error(ApiError.NotFound("No such product."));
        }

        return ApiResults.Ok(await change(product, merchant, CallerActor.Of(caller)));
    }
}
