using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>
/// Where a page of the audit trail ends, in the store's own terms (a sequence number, an id).
/// Never shown to clients as it is: <see cref="IAuditCursors"/> seals it into an opaque cursor.
/// </summary>
public sealed class AuditPosition
{
    private readonly byte[] _bytes;

    /// <summary>Wraps a copy of <paramref name="bytes"/>.</summary>
    public AuditPosition(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    /// <summary>The position's bytes, as the store that made it wrote them.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <inheritdoc />
    public override string ToString() => "AuditPosition";
}

/// <summary>A page of audit events, newest first, and where the next (older) page starts.</summary>
/// <param name="Events">The events, newest first.</param>
/// <param name="Next">Pass back to read the next page; null on the last page.</param>
public sealed record AuditPage(IReadOnlyList<AuditEvent> Events, AuditPosition? Next);

/// <summary>
/// The audit trail of each identity: append-only, except that a stranger's refusal is counted
/// into the event of its bucket (<see cref="AuditAggregation"/>) instead of adding a row.
/// </summary>
public interface IAuditTrail
{
    /// <summary>
    /// Appends one event. An event with an aggregation bucket (<see cref="AuditAggregation.BucketOf"/>:
    /// a refusal of a stranger) is merged, atomically, into that bucket's event if it exists
    /// (count + 1, last occurrence moved on), so every caller that records a refusal gets the
    /// aggregation, whatever route or behaviour it comes from.
    /// </summary>
    Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> events of one registration, newest first (by first
    /// occurrence), of one <paramref name="kind"/> or of all kinds when null, starting after
    /// <paramref name="after"/> (a position from an earlier page of the same identity and kind,
    /// or null for the newest).
    /// </summary>
    /// <exception cref="ArgumentException">The position is not one this store makes.</exception>
    Task<AuditPage> ReadAsync(Guid identityId, AuditKind? kind, AuditPosition? after, int limit, CancellationToken cancellationToken);
}

/// <summary>
/// Turns store positions into the cursors clients see and back. A cursor is bound to the identity
/// and the kind filter it was issued for and reveals nothing of the store (no service-wide
/// sequence, no timestamps); any other string does not open.
/// </summary>
public interface IAuditCursors
{
    /// <summary>The cursor that resumes after <paramref name="position"/> for this identity and kind.</summary>
    string Seal(Guid identityId, AuditKind? kind, AuditPosition position);

    /// <summary>The position <paramref name="cursor"/> stands for, or null when this service did not issue it for this identity and kind.</summary>
    AuditPosition? Open(Guid identityId, AuditKind? kind, string cursor);
}
