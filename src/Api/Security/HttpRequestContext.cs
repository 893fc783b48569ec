using System.Security.Claims;
using CryptoSecure.Api.RateLimiting;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Api.Security;

/// <summary>The request context as HTTP knows it: the authenticated key, the peer address, the request id.</summary>
public sealed class HttpRequestContext(IHttpContextAccessor accessor) : IRequestContext
{
    /// <inheritdoc />
    public string? ClientAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();

    /// <inheritdoc />
    public string FairShareKey => accessor.HttpContext is { } context ? RateLimitingSetup.ClientAddress(context) : "unknown";

    /// <inheritdoc />
    public string? RequestId => accessor.HttpContext?.TraceIdentifier;

    /// <inheritdoc />
    public Caller Caller => CallerOf(accessor.HttpContext?.User);

    /// <inheritdoc />
    public AuditActor ActorFor(Guid identityId)
    {
        var user = accessor.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated != true)
        {
            return AuditActor.Anonymous;
        }

        if (user.IsInRole(ApiKeyDefaults.AdminRole))
        {
            return AuditActor.Admin;
        }

        return string.Equals(user.FindFirstValue(ClaimTypes.NameIdentifier), identityId.ToString("N"), StringComparison.Ordinal)
            ? AuditActor.Owner
            : AuditActor.Other;
    }

    /// <summary>
    /// The caller as API-key authentication described it: an admin role, or an identity key with the
    /// identity's normalized address as its email claim. Read here for the use case and by the
    /// HTTP policy alike.
    /// </summary>
    public static Caller CallerOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return Caller.Anonymous;
        }

        if (user.IsInRole(ApiKeyDefaults.AdminRole))
        {
            return Caller.Admin;
        }

        return user.FindFirstValue(ClaimTypes.Email) is { Length: > 0 } owned
            ? Caller.OwnerOf(owned, Guid.TryParseExact(user.FindFirstValue(ClaimTypes.NameIdentifier), "N", out var id) ? id : null)
            : Caller.Anonymous;
    }
}
