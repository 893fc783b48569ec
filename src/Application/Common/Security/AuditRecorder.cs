using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Application.Common.Security;

/// <summary>Makes audit events stamped with the time, the caller and the request, and appends them.</summary>
public sealed class AuditRecorder(IAuditTrail trail, IRequestContext request, TimeProvider clock)
{
    /// <summary>
    /// An event for <paramref name="identityId"/>, for a store to write in the same transaction as
    /// the change it records.
    /// </summary>
    public AuditEvent Create(Guid identityId, AuditAction action, AuditOutcome outcome, int? keyVersion) =>
        new(identityId, clock.GetUtcNow(), action, outcome, request.ActorFor(identityId), keyVersion, request.ClientAddress, request.RequestId);

    /// <summary>
    /// Appends an event for an operation that changes nothing stored (encrypt, decrypt, export,
    /// denial). The caller awaits it before answering, so an unrecorded operation is not reported as done.
    /// A refusal of a caller who is neither the owner nor an admin is counted by the trail into
    /// one event per bucket (<see cref="AuditAggregation"/>), whoever records it.
    /// </summary>
    public Task RecordAsync(Guid identityId, AuditAction action, AuditOutcome outcome, int? keyVersion, CancellationToken cancellationToken) =>
        trail.AppendAsync(Create(identityId, action, outcome, keyVersion), cancellationToken);
}
