using CryptoSecure.Api.Errors;
using CryptoSecure.Api.RateLimiting;
using CryptoSecure.Application.Common.Ports;

namespace CryptoSecure.Api.Limits;

/// <summary>
/// Turns a request for private-key work away (503 with Retry-After, in the route's error shape)
/// before anything is spent on it, when the private-key gate is full for its client. Under a flood
/// of RSA decryptions most requests are such refusals; answered here they cost a route match
/// rather than an API-key check, an identity read and a request body, and the cores stay with the
/// work that was admitted and with everyone else's requests. Anything let through is still
/// admitted (or refused) by the gate itself. Runs after routing (it needs the route), before
/// authentication: a refusal says only that the server is busy, which anyone may be told.
/// </summary>
public sealed class PrivateKeyAdmissionMiddleware(RequestDelegate next, IPrivateKeyGate gate)
{
    /// <summary>Answers busy, or passes the request on.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<PrivateKeyWorkAttribute>() is not null
            && gate.RefusalNow(RateLimitingSetup.ClientAddress(context)) is { } busy)
        {
            return ErrorResponder.WriteRefusalAsync(context, busy);
        }

        return next(context);
    }
}
