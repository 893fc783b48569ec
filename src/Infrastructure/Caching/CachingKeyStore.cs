using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Infrastructure.Caching;

/// <summary>
/// The key store with <see cref="IdentityCache"/> in front of its two reads. Every write goes to
/// the store and then evicts what this node holds of the identity, whether it succeeded or not (a
/// lost race means what is held is already old, and the retry must read the store), so this node
/// sees its own changes at once. Other nodes' changes arrive through the change feed, within the
/// coherence bound. Identities are immutable, so one cached instance serves concurrent requests.
/// </summary>
public sealed class CachingKeyStore : IKeyStore
{
    private readonly IKeyStore _store;
    private readonly IdentityCache _cache;

    public CachingKeyStore(IKeyStore store, IdentityCache cache)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(cache);
        _store = store;
        _cache = cache;
    }

    /// <inheritdoc />
    public async Task<Identity?> FindAsync(EmailAddress email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (_cache.TryGetIdentity(email.Normalized, out var cached))
        {
            return cached;
        }

        var evictions = _cache.EvictionCount;
        var found = await _store.FindAsync(email, cancellationToken).ConfigureAwait(false);
        if (found is not null)
        {
            _cache.StoreIdentity(found, evictions);
        }

        return found;
    }

    /// <inheritdoc />
    public async Task<CredentialOwner?> FindCredentialOwnerAsync(ApiKeyHash apiKeyHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apiKeyHash);
        if (_cache.TryGetCredentialOwner(apiKeyHash, out var cached))
        {
            return cached;
        }

        var evictions = _cache.EvictionCount;
        var owner = await _store.FindCredentialOwnerAsync(apiKeyHash, cancellationToken).ConfigureAwait(false);
        if (owner is not null)
        {
            _cache.StoreCredentialOwner(apiKeyHash, owner, evictions);
        }

        return owner;
    }

    /// <inheritdoc />
    public async Task CreateAsync(Identity identity, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        try
        {
            await _store.CreateAsync(identity, auditEvents, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _cache.EvictChanged(identity.Id);
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(Identity nextState, long expectedRevision, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nextState);
        try
        {
            await _store.SaveAsync(nextState, expectedRevision, auditEvents, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also drops the owner's credentials: a save that replaces the API key (issue 13's
            // rotation, recovery) must stop the old one here at once.
            _cache.EvictChanged(nextState.Id);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(Guid identityId, AuditEvent deleted, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.DeleteAsync(identityId, deleted, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _cache.EvictChanged(identityId);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteIfUnchangedAsync(Guid identityId, long expectedRevision, AuditEvent deleted, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.DeleteIfUnchangedAsync(identityId, expectedRevision, deleted, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Refused or not: what this node held was either deleted or older than the store.
            _cache.EvictChanged(identityId);
        }
    }
}
