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
}
