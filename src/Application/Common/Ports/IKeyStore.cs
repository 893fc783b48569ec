using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>The identity a credential belongs to.</summary>
/// <param name="IdentityId">The registration.</param>
/// <param name="NormalizedEmail">Its normalized address.</param>
public sealed record CredentialOwner(Guid IdentityId, string NormalizedEmail);

/// <summary>
/// Durable storage of identities and their sealed key rings. Every adapter passes the same
/// contract suite. Adapters throw <see cref="Exceptions.StoreUnavailableException"/> when the
/// backing store cannot answer, never their driver's exceptions.
/// </summary>
public interface IKeyStore
{
    /// <summary>The identity registered under <paramref name="email"/>, or null.</summary>
    Task<Identity?> FindAsync(EmailAddress email, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="email"/> is registered.</summary>
    Task<bool> ExistsAsync(EmailAddress email, CancellationToken cancellationToken);

    /// <summary>The identity whose API key hashes to <paramref name="apiKeyHash"/>, or null.</summary>
    Task<CredentialOwner?> FindCredentialOwnerAsync(ApiKeyHash apiKeyHash, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new identity with its first key version and its audit events ("registered", and
    /// "exported" when the key is handed out at once), atomically.
    /// </summary>
    /// <exception cref="Exceptions.IdentityAlreadyExistsException">The address is taken.</exception>
    Task CreateAsync(Identity identity, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="version"/> (which must be the ring's next number) if the identity is
    /// still at <paramref name="expectedRevision"/>, bumps the revision and appends
    /// <paramref name="rotated"/> to the audit trail, atomically.
    /// </summary>
    /// <exception cref="Exceptions.ConcurrencyConflictException">The identity changed meanwhile.</exception>
    /// <exception cref="Exceptions.IdentityNotFoundException">The identity was deleted meanwhile.</exception>
    Task AddKeyVersionAsync(Guid identityId, long expectedRevision, KeyVersion version, AuditEvent rotated, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the minimum decryption version if the identity is still at <paramref name="expectedRevision"/>,
    /// bumps the revision and appends <paramref name="configured"/>, atomically.
    /// </summary>
    /// <exception cref="Exceptions.ConcurrencyConflictException">The identity changed meanwhile.</exception>
    /// <exception cref="Exceptions.IdentityNotFoundException">The identity was deleted meanwhile.</exception>
    Task SetMinDecryptionVersionAsync(Guid identityId, long expectedRevision, int minDecryptionVersion, AuditEvent configured, CancellationToken cancellationToken);

    /// <summary>
    /// Destroys the identity and every sealed key of it, and appends <paramref name="deleted"/> (the
    /// audit trail outlives the identity). Stores that can also scrub the freed bytes from their
    /// files (SQLite does; MongoDB's oplog and free space keep encrypted copies until overwritten,
    /// see ADR-005). False when it did not exist.
    /// </summary>
    Task<bool> DeleteAsync(Guid identityId, AuditEvent deleted, CancellationToken cancellationToken);
}

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
