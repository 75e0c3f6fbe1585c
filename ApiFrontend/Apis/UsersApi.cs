using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.RateLimiting;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Text;
using Payments.Grains.Interfaces.Users;
using Payments.Grains.Interfaces.Wallets;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/users: registration (anonymous), the caller's profile and settings, search.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/users").WithTags(ApiTags.Users).RequireAuthorization();

        group.MapPost("/", CreateUser)
            .AllowAnonymous()
            .WithName(nameof(CreateUser))
            .WithSummary("Sign up")
            .WithDescription("Creates a user with an empty USD wallet. `username`: 3–32 lower-case letters, digits and underscores, unique. `displayName`: 1–64 characters, one script, no invisible or look-alike tricks. `password`: 8–256 characters that zxcvbn scores at least 3 (not common, not built from the username or display name). Limited per address and per username; 503 when the servers are busy checking passwords (with Retry-After).")
            .Accepts<CreateUserRequest>("application/json")
            .Produces<UserProfile>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.UsernameTaken);
        group.MapGet("/me", GetMe)
            .WithName(nameof(GetMe))
            .WithSummary("Get your profile")
            .Produces<CurrentUserView>();
        group.MapPatch("/me", UpdateMe)
            .WithName(nameof(UpdateMe))
            .WithSummary("Change your settings")
            .WithDescription("Sets `defaultVisibility` (public, friends or private; initially friends): the visibility of your transfers and request payments that name none. Setting it twice is harmless, so no Idempotency-Key is needed.")
            .Accepts<UpdateUserRequest>("application/json")
            .Produces<CurrentUserView>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapGet("/search", SearchUsers)
            .WithName(nameof(SearchUsers))
            .WithSummary("Find users")
            .WithDescription("Up to 20 users whose username or display name starts with `q` (1–64 characters, case-insensitive), by username.")
            .Produces<IReadOnlyList<UserProfile>>();
        return group;
    }

    /// <summary>
    /// POST /v1/users → 201 {id, username, displayName}; 409 USERNAME_TAKEN; 400 for a weak password (zxcvbn score
    /// below 3, with its reasons) or a display name that could impersonate; 429 past the per-address or per-username
    /// limit; 503 when this front end's password checks or the silo's password hashes are all busy.
    /// </summary>
    public static async Task<IResult> CreateUser(HttpRequest request, [FromServices] IGrainFactory grains, [FromServices] LoginRateLimit limits, [FromServices] PasswordStrength strength)
    {
        if (limits.SignupFromAddress(request.HttpContext) is { } tooMany)
        {
            return ApiResults.Error(tooMany);
        }

        var body = await JsonBody.ReadAsync<CreateUserRequest>(request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var user = body.Value!.Validate();
        if (user.Error is { } error)
        {
            return ApiResults.Error(error);
        }

        if (limits.SignupAs(user.Value!.Username) is { } tooManyForName)
        {
            return ApiResults.Error(tooManyForName);
        }

        if (strength.Judge(user.Value) is { } weak)
        {
            return ApiResults.Error(weak);
        }

        var (username, displayName, password) = user.Value;
        var outcome = await grains.Reference<IUserDirectoryGrain>(GrainKeys.UserDirectory).Register(username.Value, displayName, password);
        return ApiResults.Created(outcome);
    }

    /// <summary>GET /v1/users/me → {id, username, displayName, defaultVisibility}.</summary>
    public static async Task<IResult> GetMe(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var userId = user.UserId();
        var profile = await grains.Reference<IUserDirectoryGrain>(GrainKeys.UserDirectory).Find(userId);
        if (profile is null)
        {
            return ApiResults.Error(ApiError.NotFound("This user no longer exists."));
        }

        var visibility = await grains.Reference<IWalletGrain>(userId).GetDefaultVisibility();
        return visibility.Error is { } error
            ? ApiResults.Error(error)
            : ApiResults.Json(new CurrentUserView(profile.Id, profile.Username, profile.DisplayName, visibility.Value!));
    }

    /// <summary>
    /// PATCH /v1/users/me {defaultVisibility} → 200 as GET. The default visibility (public, friends or private; initially
    /// friends) applies to the caller's transfers and request payments that name none. Setting it twice is harmless,
    /// so no Idempotency-Key is needed.
    /// </summary>
    public static async Task<IResult> UpdateMe(HttpRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<UpdateUserRequest>(request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var visibility = body.Value!.Validate();
        if (visibility.Error is { } error)
        {
            return ApiResults.Error(error);
        }

        var userId = user.UserId();
        var set = await grains.Reference<IWalletGrain>(userId).SetDefaultVisibility(visibility.Value!);
        if (set.Error is { } refused)
        {
            return ApiResults.Error(refused);
        }

        var profile = await grains.Reference<IUserDirectoryGrain>(GrainKeys.UserDirectory).Find(userId);
        return profile is null
            ? ApiResults.Error(ApiError.NotFound("This user no longer exists."))
            : ApiResults.Json(new CurrentUserView(profile.Id, profile.Username, profile.DisplayName, set.Value!));
    }

    /// <summary>GET /v1/users/search?q= → users whose username or display name starts with q.</summary>
    public static async Task<IResult> SearchUsers([FromQuery] string? q, [FromServices] IGrainFactory grains)
    {
        var query = q?.Trim();
        if (string.IsNullOrEmpty(query) || query.Length > UserLimits.MaxSearchQueryLength || !FreeText.IsStorable(query))
        {
            return ApiResults.Error(ApiError.Validation("q", $"q is required: 1–{UserLimits.MaxSearchQueryLength} characters, without U+0000."));
        }

        var users = await grains.Reference<IUserDirectoryGrain>(GrainKeys.UserDirectory).Search(query, UserLimits.MaxSearchResults);
        return ApiResults.Json(users);
    }
}
