using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace CryptoSecure.Api.Telemetry;

/// <summary>
/// One log line per request, written when the answer is complete: method, route, the status the
/// client got and the duration. It runs outside the exception handler and the status-code pages,
/// so answers they write are logged as sent. Never the query string, headers or bodies (they carry
/// API keys, plaintext and ciphertext); the route template rather than the path, so addresses stay
/// out of the log (the audit trail says who acted on which identity).
/// </summary>
public sealed partial class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    /// <summary>What the log says in place of the route for a request no route matched.</summary>
    public const string NoRoute = "(no route)";

    private static readonly ConcurrentDictionary<RouteEndpoint, string> RouteTexts = new();

    /// <summary>Runs the request, then logs it.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            LogRequest(logger, context.Request.Method, Route(context), status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, context.TraceIdentifier);
        }
    }

    // The exception handler clears the endpoint but keeps it in its feature. A request that matched
    // no route (404, 405) has no template, and its path may hold an address: it is logged as such.
    // Each route's text is made once (the endpoints are fixed at start), not concatenated per request.
    private static string Route(HttpContext context) =>
        (context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint) is RouteEndpoint { RoutePattern.RawText: not null } endpoint
            ? RouteTexts.GetOrAdd(endpoint, static e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            : NoRoute;

[LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "{Method} {Route} {StatusCode} in {ElapsedMs:0.0} ms ({RequestId})")]
    private static partial void LogRequest(ILogger logger, string method, string route, int statusCode, double elapsedMs, string requestId);
}
