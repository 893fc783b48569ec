using CryptoSecure.Api.Errors;
using CryptoSecure.Infrastructure.Startup;

namespace CryptoSecure.Api.Limits;

/// <summary>
/// Until the key store is initialized (schema or unique indexes created, master key verified),
/// every request that would touch it gets 503: a remote store that comes up late must not take
/// writes before its unique indexes exist or before a wrong master key is caught.
/// Health and API documentation stay available.
/// </summary>
public sealed class StoreReadinessMiddleware(RequestDelegate next, KeyStoreReadiness readiness)
{
    private static readonly ErrorAnswer NotReady = ProblemCatalogue.Unavailable.With(
        "The key store is not reachable yet; try again shortly.");
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (readiness.IsInitialized
            || context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        context.Response.Headers.RetryAfter = "5";
        return ErrorResponder.WriteAsync(context, NotReady);
    }
}
