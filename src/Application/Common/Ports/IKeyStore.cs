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
