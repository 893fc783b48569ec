using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Application.Lifecycle;

/// <summary>
/// Audit events for what the service does by itself, with no request behind it: actor
/// <see cref="AuditActor.Service"/>, no client address, no request id.
/// </summary>
internal static class ServiceAudit
{
    public static AuditEvent Event(Guid identityId, DateTimeOffset now, AuditAction action, int? keyVersion) =>
        new(identityId, now, action, AuditOutcome.Success, AuditActor.Service, keyVersion, ClientAddress: null, RequestId: null);
}
