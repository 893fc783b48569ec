namespace CryptoSecure.Api.Limits;

/// <summary>
/// Headers on every answer: the request id (also in the audit trail and logs), and no caching or
/// sniffing of bodies that may hold keys or plaintext. The OpenAPI document is not cached either:
/// a cached copy would outlive a change of Api:PublicBaseUrl. An action that sets its own
/// Cache-Control (only the JWK Set, which holds public keys and is meant to be cached) keeps it.
/// </summary>
public sealed class ResponseHeadersMiddleware(RequestDelegate next)
{
    /// <summary>The request id header.</summary>
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>Adds the headers, then runs the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // At start, not now: the exception handler clears the headers of a failed answer before it
        // writes its own. Static with the context as state, so no closure is allocated per request.
        context.Response.OnStarting(
            static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers[RequestIdHeader] = http.TraceIdentifier;
                headers.XContentTypeOptions = "nosniff";
                if (string.IsNullOrEmpty(headers.CacheControl))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            },
            context);
        return next(context);
    }
}
