using System.Globalization;

namespace CryptoSecure.Domain.Audit;

/// <summary>
/// The three parts of an identity's trail, read together or apart (<c>GET .../audit?kind=</c>), so
/// that what strangers cause can never bury what the owner did.
/// </summary>
public enum AuditKind
{
    /// <summary>What the owner or an admin did, and the registration itself.</summary>
    Owner,

    /// <summary>Public operations by anyone else (encryptions and data keys wrapped to the identity, verifications of its signatures).</summary>
    Public,

    /// <summary>Refusals of callers who are neither the owner nor an admin (aggregated per bucket).</summary>
    Denied,
}

/// <summary>The rule that sorts events into <see cref="AuditKind"/>s; stores index by it.</summary>
public static class AuditKinds
{
    /// <summary>
    /// Owner and admin actions are always <see cref="AuditKind.Owner"/>, refused or not: an owner's
    /// refused export is the owner's own business, not noise. Registration is recorded before any
    /// credential exists (actor anonymous) and is the owner's first act, so everything a stranger
    /// can do that is neither refused nor a public operation is the registration and its hand-out
    /// of the key.
    /// </summary>
    public static AuditKind Of(AuditAction action, AuditOutcome outcome, AuditActor actor) =>
        actor switch
        {
            // The service acts on the owner's standing instructions (a deletion they asked for, the
            // rotation period they set): the owner's part of the trail.
            AuditActor.Owner or AuditActor.Admin or AuditActor.Service => AuditKind.Owner,
            _ when outcome == AuditOutcome.Denied => AuditKind.Denied,
            _ when action is AuditAction.Encrypted or AuditAction.SignatureVerified or AuditAction.DataKeyGenerated => AuditKind.Public,
            _ => AuditKind.Owner,
        };
}

/// <summary>
/// Refusals of strangers are aggregated: one event per identity, action, actor kind, client
/// address, key version and UTC minute, with a count. A stranger with a free key of their own can
/// then add at most one row per minute and address to another identity's trail, however fast they
/// knock, while the count still says how hard they knocked. Every other event is its own row.
/// </summary>
public static class AuditAggregation
{
    /// <summary>Length of a bucket.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The bucket <paramref name="auditEvent"/> is counted in (unique within its identity), or null
    /// when it is an event of its own. Stores key the aggregated row on it.
    /// </summary>
    public static string? BucketOf(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (auditEvent.Kind != AuditKind.Denied)
        {
            return null;
        }

        var minute = auditEvent.OccurredAt.ToUnixTimeMilliseconds() / (long)Window.TotalMilliseconds;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{minute}|{auditEvent.Action}|{auditEvent.Actor}|{auditEvent.KeyVersion}|{auditEvent.ClientAddress}");
    }
}
