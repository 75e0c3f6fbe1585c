using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Text;
using Payments.Grains.Interfaces.Users;
using Orleans;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/users: registration (anonymous), the caller's profile, search.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/users").WithTags("Users").RequireAuthorization();

        group.MapPost("/", CreateUser)
            .AllowAnonymous()
            .WithName(nameof(CreateUser))
            .Accepts<CreateUserRequest>("application/json")
            .Produces<UserProfile>(StatusCodes.Status201Created)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status409Conflict);
        group.MapGet("/me", GetMe)
            .WithName(nameof(GetMe))
            .Produces<UserProfile>()
            .Produces<ApiError>(StatusCodes.Status401Unauthorized);
        group.MapGet("/search", SearchUsers)
            .WithName(nameof(SearchUsers))
            .Produces<IReadOnlyList<UserProfile>>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);
        return group;
    }

    /// <summary>POST /v1/users → 201 {id, username, displayName}; 409 USERNAME_TAKEN.</summary>
    public static async Task<IResult> CreateUser(HttpRequest request, [FromServices] IGrainFactory grains)
    {
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

        var (username, displayName, password) = user.Value!;
        var outcome = await grains.GetGrain<IUserDirectoryGrain>(GrainKeys.UserDirectory).Register(username.Value, displayName, password);
        return ApiResults.Created(outcome);
    }

    /// <summary>GET /v1/users/me.</summary>
    public static async Task<IResult> GetMe(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var profile = await grains.GetGrain<IUserDirectoryGrain>(GrainKeys.UserDirectory).Find(user.UserId());
        return profile is null ? ApiResults.Error(ApiError.NotFound("This user no longer exists.")) : ApiResults.Json(profile);
    }

    /// <summary>GET /v1/users/search?q= → users whose username or display name starts with q.</summary>
    public static async Task<IResult> SearchUsers([FromQuery] string? q, [FromServices] IGrainFactory grains)
    {
        var query = q?.Trim();
        if (string.IsNullOrEmpty(query) || query.Length > UserLimits.MaxSearchQueryLength || !FreeText.IsStorable(query))
        {
            return ApiResults.Error(ApiError.Validation("q", $"q is required: 1–{UserLimits.MaxSearchQueryLength} characters, without U+0000."));
        }

        var users = await grains.GetGrain<IUserDirectoryGrain>(GrainKeys.UserDirectory).Search(query, UserLimits.MaxSearchResults);
        return ApiResults.Json(users);
    }
}
