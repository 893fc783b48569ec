using System.Text.Json;
using System.Text.Json.Serialization;
using CryptoSecure.Api.Errors;
using CryptoSecure.Api.Health;
using CryptoSecure.Api.Hosting;
using CryptoSecure.Api.Limits;
using CryptoSecure.Api.OpenApi;
using CryptoSecure.Api.RateLimiting;
using CryptoSecure.Api.Security;
using CryptoSecure.Api.Telemetry;
using CryptoSecure.Application;
using CryptoSecure.Application.Common.Behaviours;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Infrastructure.Health;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CryptoSecure.Api;

/// <summary>Registers and wires the HTTP layer.</summary>
public static class DependencyInjection
{
    /// <summary>Mediator, MVC, authentication, limits, OpenAPI, health.</summary>
    public static WebApplicationBuilder AddWebServices(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(ApplicationAssembly)];
            // Logging first, so refusals are logged like any rejection; the owner check before
            // validation, so a stranger learns nothing about the input (as the HTTP policy does).
            options.PipelineBehaviors = [typeof(LoggingBehaviour<,>), typeof(OwnerOnlyBehaviour<,>), typeof(ValidationBehaviour<,>)];
        });

        services.AddControllers(mvc => mvc.Filters.Add<JsonNewlineFilter>())
            .AddJsonOptions(json =>
            {
                json.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
                json.AllowInputFormatterExceptionMessages = false;
                json.JsonSerializerOptions.AllowDuplicateProperties = false;
            })
            .ConfigureApiBehaviorOptions(api => api.InvalidModelStateResponseFactory = ClientErrors.InvalidModelState);
        services.AddSingleton<IClientErrorFactory, ShapedClientErrorFactory>();
        services.AddSingleton<Microsoft.AspNetCore.Mvc.ModelBinding.Validation.IObjectModelValidator, BindingErrorsOnlyValidator>();
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // One body per failure kind: the request id travels in the X-Request-Id header instead.
            context.ProblemDetails.Extensions.Remove("traceId");
            context.ProblemDetails.Extensions.Remove("requestId");
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddSingleton<PrototypeRouteGroup>();

        services.AddHttpContextAccessor();
        services.AddScoped<IRequestContext, HttpRequestContext>();
        services.AddSingleton<AdminKeyRegistry>();
        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.OwnerOrAdmin, policy => policy.RequireAuthenticatedUser().AddRequirements(new OwnerOrAdminRequirement()))
            .AddPolicy(Policies.AdminOnly, policy => policy.RequireAuthenticatedUser().RequireRole(ApiKeyDefaults.AdminRole));
        services.AddSingleton<IAuthorizationHandler, OwnerOrAdminHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationAnswers>();

        services.AddCheckedOptions<ApiOptions>(ApiOptions.SectionName);
        services.AddCheckedOptions<LimitsOptions>(LimitsOptions.SectionName);
        services.AddShutdownTimeout(builder.Configuration);
        services.AddSingleton<RequestBodyLimit>();
        services.AddOptions<KestrelServerOptions>().Configure<RequestBodyLimit>((kestrel, limit) =>
        {
            kestrel.Limits.MaxRequestBodySize = limit.Bytes;
            kestrel.AddServerHeader = false;
        });
        services.AddCryptoSecureConnectionLimits();
        services.AddCryptoSecureRateLimiting();

        services.AddHealthChecks()
            .AddCheck<KeyStoreHealthCheck>("keyStore", tags: ["ready"])
            .AddCheck<KeyPoolHealthCheck>("keyPool", tags: ["ready"]);

        services.AddCryptoSecureOpenApi();
        services.AddCryptoSecureTelemetry(builder.Configuration);
        return builder;
    }

    /// <summary>The middleware pipeline and endpoints.</summary>
    public static WebApplication UseWebPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => ErrorResponder.WriteAsync(context.HttpContext, ClientErrors.ForStatus(context.HttpContext.Response.StatusCode)));
        app.UseMiddleware<ResponseHeadersMiddleware>();
        app.UseCryptoSecureOpenApi();
        app.UseRouting();
        app.UseMiddleware<PrivateKeyAdmissionMiddleware>();
        app.UseMiddleware<StoreReadinessMiddleware>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapControllers();
        app.MapServiceIndex();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponseWriter.WriteAsync });
        return app;
    }
}
