using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>
/// Durable storage of identities and their sealed key rings, shaped around the aggregate rather
/// than the use cases: a change is a method of <see cref="Identity"/> that returns the next state,
/// and <see cref="SaveAsync"/> stores whatever state that is. A new use case adds a domain method,
/// not a store method. Every adapter passes the same contract suite. Adapters throw
/// <see cref="Exceptions.StoreUnavailableException"/> when the backing store cannot answer, never
/// their driver's exceptions.
/// </summary>
public interface IKeyStore
{
    /// <summary>The identity registered under <paramref name="email"/>, or null. One consistent state: the ring and revision agree.</summary>
    Task<Identity?> FindAsync(EmailAddress email, CancellationToken cancellationToken);

    /// <summary>The identity whose API key hashes to <paramref name="apiKeyHash"/>, or null.</summary>
    Task<CredentialOwner?> FindCredentialOwnerAsync(ApiKeyHash apiKeyHash, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new identity with its key versions and its audit events ("registered", and
    /// "exported" when the key is handed out at once), atomically.
    /// </summary>
    /// <exception cref="Exceptions.IdentityAlreadyExistsException">The address is taken.</exception>
    Task CreateAsync(Identity identity, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="nextState"/>, the state a change (or several) made of the identity read at
    /// <paramref name="expectedRevision"/>, if the store still holds that revision; and appends
    /// <paramref name="auditEvents"/>; all or nothing. The identity's fields and revision are
    /// replaced; key versions are append-only, so the versions the store does not hold yet are
    /// added and the ones it holds must still be there.
    /// </summary>
    /// <exception cref="Exceptions.ConcurrencyConflictException">The identity changed meanwhile; nothing was written.</exception>
    /// <exception cref="Exceptions.IdentityNotFoundException">The identity was deleted meanwhile; nothing was written.</exception>
    /// <exception cref="ArgumentException"><paramref name="nextState"/> is not a later revision, or drops a stored key version.</exception>
    Task SaveAsync(Identity nextState, long expectedRevision, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken);

    /// <summary>
    /// Destroys the identity and every sealed key of it, and appends <paramref name="deleted"/> (the
    /// audit trail outlives the identity). Stores that can also scrub the freed bytes from their
    /// files do (SQLite does; MongoDB's oplog and free space keep encrypted copies until overwritten,
    /// see ADR-005). False when it did not exist.
    /// </summary>
    Task<bool> DeleteAsync(Guid identityId, AuditEvent deleted, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="DeleteAsync"/>, only if the store still holds <paramref name="expectedRevision"/>:
    /// what the service uses to shred a due deletion, so a restore (or any change) that another
    /// node committed after the service read the identity is never shredded away. False when the
    /// identity is gone or changed meanwhile; nothing was written then.
    /// </summary>
    Task<bool> DeleteIfUnchangedAsync(Guid identityId, long expectedRevision, AuditEvent deleted, CancellationToken cancellationToken);
}
