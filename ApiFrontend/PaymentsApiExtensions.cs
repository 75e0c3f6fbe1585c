using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Payments.ApiFrontend.Apis;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Cards;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Idempotency;
using Payments.ApiFrontend.Notifications;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Operations;
using Payments.ApiFrontend.RateLimiting;
using Payments.ApiFrontend.WebApp;
using Payments.ApiFrontend.Requests;
using Payments.Infrastructure.Streams;

namespace Payments.ApiFrontend;

/// <summary>
/// Composes the REST API into a host that has an <c>IGrainFactory</c> (the silo co-hosts it): services with
/// <see cref="AddPaymentsApi"/>, middleware and endpoints with <see cref="MapPaymentsApi"/>.
/// </summary>
public static class PaymentsApiExtensions
{
    /// <summary>
    /// Options (<c>Payments:Api</c>, <c>Payments:AdminToken</c>), session and operator authentication, authorization
    /// policies, the per-caller rate limiter, the 64 KiB body limit, OpenAPI, JSON settings and JSON errors in place
    /// of ProblemDetails. When <c>Payments:Api:Enabled</c> is false (a silo behind separate front ends) only the
    /// operator endpoints remain: the silo's metrics and dashboard.
    /// </summary>
    public static WebApplicationBuilder AddPaymentsApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddOptions<ApiOptions>()
            .Bind(configuration.GetSection(ApiOptions.SectionName))
            .Configure(options => options.AdminToken = configuration[ApiOptions.AdminTokenKey])
            .Validate(options => options.RateLimit.PermitsPerSecond >= 1, $"{ApiOptions.SectionName}:RateLimit:PermitsPerSecond must be at least 1.")
            .Validate(options => options.RateLimit.Burst >= 1, $"{ApiOptions.SectionName}:RateLimit:Burst must be at least 1.")
            .Validate(
                options => string.IsNullOrEmpty(options.AdminToken) || options.AdminToken.Length >= ApiOptions.MinAdminTokenLength,
                $"{ApiOptions.AdminTokenKey} must be at least {ApiOptions.MinAdminTokenLength} characters (or unset to disable operator endpoints).")
            .ValidateOnStart();

        services.AddOperatorMetrics();
        if (!configuration.GetValue(ApiOptions.SectionName + ":" + nameof(ApiOptions.Enabled), defaultValue: true))
        {
            services.AddAuthenticationCore(authentication => authentication.DefaultScheme = ApiAuth.AdminScheme);
            new AuthenticationBuilder(services).AddScheme<AuthenticationSchemeOptions, AdminAuthenticationHandler>(ApiAuth.AdminScheme, _ => { });
            services.AddAuthorizationBuilder().AddPolicy(ApiAuth.AdminPolicy, OperatorEndpoints.RequireOperator);
            return builder;
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes;
            RequestHeadLimits.ConfigureKestrel(kestrel.Limits);
        });

        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;

            // Bodies are read by JsonBody, which refuses quoted numbers; the document says so too.
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        // Ours first, so anything the framework writes as ProblemDetails comes out as {code, message}.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, ApiProblemDetailsWriter>());
        services.AddProblemDetails();

        // The authentication core without AddAuthentication's data protection (no cookies here, so no key ring to create).
        // The default scheme picks sessions or API keys by the token's shape, so the per-caller rate limiter (which runs
        // before authorization) sees who calls with either.
        services.AddAuthenticationCore(authentication => authentication.DefaultScheme = ApiAuth.BearerScheme);
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddPolicyScheme(ApiAuth.BearerScheme, "Session or API key", options => options.ForwardDefaultSelector = ApiAuth.SchemeFor)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(ApiAuth.SessionScheme, _ => { })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiAuth.ApiKeyScheme, _ => { })
            .AddScheme<AuthenticationSchemeOptions, AdminAuthenticationHandler>(ApiAuth.AdminScheme, _ => { });

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiAuth.UserPolicy, policy => policy
                .AddAuthenticationSchemes(ApiAuth.SessionScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiAuth.SubjectClaim))
            .AddPolicy(ApiAuth.AdminPolicy, OperatorEndpoints.RequireOperator)
            .AddPolicy(ApiAuth.MerchantPolicy, policy => policy
                .AddAuthenticationSchemes(ApiAuth.ApiKeyScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiAuth.MerchantClaim))
            .AddPolicy(ApiAuth.DashboardPolicy, policy => policy
                .AddAuthenticationSchemes(ApiAuth.BearerScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiAuth.SubjectClaim))
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(ApiAuth.SessionScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiAuth.SubjectClaim)
                .Build());

        services.AddOptions<NotificationSocketOptions>().BindConfiguration(NotificationSocketOptions.SectionName)
            .Validate(options => options.SendQueueCapacity is >= 1 and <= 100_000, $"{NotificationSocketOptions.SectionName}:{nameof(NotificationSocketOptions.SendQueueCapacity)} must be between 1 and 100,000.")
            .Validate(options => options.MaxSocketsPerUser is >= 1 and <= 1_000, $"{NotificationSocketOptions.SectionName}:{nameof(NotificationSocketOptions.MaxSocketsPerUser)} must be between 1 and 1,000.")
            .ValidateOnStart();
        services.AddSingleton<NotificationSockets>();
        services.AddOptions<CardFingerprintOptions>().BindConfiguration(CardFingerprintOptions.SectionName)
            .Validate(options => IsKey(options.FingerprintKey), $"{CardFingerprintOptions.SectionName}:{nameof(CardFingerprintOptions.FingerprintKey)} is base64 of at least 32 bytes.")
            .ValidateOnStart();
        services.AddSingleton<CardFingerprints>();
        services.AddSingleton<UserLookup>();
        services.AddHostedService<NotificationListener>();

        // What a refused bearer token may cost: a per-network budget of failures and a short memory of refused sessions;
        // and a short memory of live ones, which spares most requests the session grain.
        services.AddOptions<SessionAuthenticationOptions>().BindConfiguration(SessionAuthenticationOptions.SectionName)
            .Validate(options => options.FailuresPerSecond >= 1 && options.FailureBurst >= 1, $"{SessionAuthenticationOptions.SectionName}: FailuresPerSecond and FailureBurst must be at least 1.")
            .Validate(options => options.RefusedSessionCacheSize >= 1 && options.RefusedSessionCacheTime >= TimeSpan.Zero, $"{SessionAuthenticationOptions.SectionName}: RefusedSessionCacheSize must be at least 1 and RefusedSessionCacheTime not negative.")
            .Validate(options => options.AcceptedSessionCacheSize >= 1 && options.AcceptedSessionCacheTime >= TimeSpan.Zero, $"{SessionAuthenticationOptions.SectionName}: AcceptedSessionCacheSize must be at least 1 and AcceptedSessionCacheTime not negative.")
            .ValidateOnStart();
        services.TryAddSingleton<FailedAuthenticationLimit>();
        services.TryAddSingleton<RefusedSessionCache>();
        services.TryAddSingleton<AcceptedSessionCache>();
        services.TryAddSingleton(TimeProvider.System);

        // Operators read dead letters straight from the database, also on a front end that hosts no streams.
        services.TryAddSingleton<StreamDeadLetterTable>();
        services.AddRateLimiter(PerCallerRateLimit.Configure);
        LoginRateLimit.AddSignInLimits(services);
        services.AddOpenApi(ApiReference.Configure);
        services.AddOptions<WebAppOptions>().BindConfiguration(WebAppOptions.SectionName);
        return builder;
    }

    /// <summary>
    /// HEAD answered as GET (<see cref="HeadRequests"/>), the error middleware (exceptions and bare status codes become JSON errors), the request head's limits, the query string's check, authentication, rate limiting,
    /// authorization, the query parameters' names, <c>/openapi/v1.json</c>, the reference at <c>/docs</c> and the <c>/v1</c> endpoints. Call after <see cref="AddPaymentsApi"/>.
    /// </summary>
    public static WebApplication MapPaymentsApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.Enabled)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapOperatorEndpoints();
            return app;
        }

        // Routing runs after HEAD has become GET (WebApplication would otherwise route first).
        app.UseMiddleware<HeadRequests>();
        app.UseRouting();
        app.UseMiddleware<ApiExceptionMiddleware>();
        app.UseStatusCodePages(StatusCodeErrors.WriteAsync);
        app.UseMiddleware<RequestHeadLimits>();
        app.UseMiddleware<QueryStringValidation>();
        app.UseWebApp();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseMiddleware<BrowserSessionProtection>();
        app.UseRateLimiterReleasedOnStop();
        app.UseAuthorization();
        app.UseMiddleware<QueryParameterNames>();

        app.MapApiReference();
        app.MapOperatorEndpoints();

        var v1 = app.MapGroup("/v1").RequireRateLimiting(PerCallerRateLimit.PolicyName);
        v1.MapUsersApi();
        v1.MapSessionsApi();
        v1.MapWalletApi();
        v1.MapTransfersApi();
        v1.MapRequestsApi();
        v1.MapFriendsApi();
        v1.MapFeedApi();
        v1.MapNotificationsApi();
        v1.MapMerchantsApi();
        v1.MapMerchantPaymentsApi();
        v1.MapWebhooksApi();
        v1.MapPayoutsApi();
        v1.MapDevicesApi();
        v1.MapCardsApi();
        v1.MapFundingSourcesApi();
        v1.MapProductsApi();
        v1.MapOrdersApi();
        v1.MapAuditApi();
        v1.MapAdminApi();
        return app;
    }

    private static bool IsKey(string? base64)
    {
        var buffer = new byte[256];
        return base64 is not null && Convert.TryFromBase64String(base64, buffer, out var length) && length >= 32;
    }
}
