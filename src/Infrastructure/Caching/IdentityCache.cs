using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Infrastructure.Caching;

/// <summary>
/// The identities (by normalized address) and credential owners (by API-key hash) this node has
/// read, and how fresh they are. Nothing is served or stored unless the change feed was read
/// successfully within the coherence bound (<see cref="IdentityCacheCoherence"/>): a node that
/// cannot read the feed cannot know what changed elsewhere, so it answers from the store.
/// </summary>
/// <remarks>
/// Misses are not cached. An unknown address or API key is what a stranger controls; caching them
/// would let a flood of made-up ones push the real identities out, and a registration is then seen
/// at once by every node without waiting for the feed.
/// A read that raced a change must not put the old state back after the change evicted it: every
/// eviction counts in <see cref="_evictions"/> first, and a filler takes the count before its store
/// read, stores, then looks again and takes back what it stored if any eviction came in between.
/// </remarks>
public sealed class IdentityCache
{
    private readonly BoundedCache<string, Identity> _identities;
    private readonly BoundedCache<ApiKeyHash, CredentialOwner> _credentials;
    private readonly TimeProvider _time;
    private readonly TimeSpan _coherence;
    private long _evictions;
    private long _freshAsOf;
    private bool _everFresh;

    public IdentityCache(CacheOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _identities = new BoundedCache<string, Identity>(options.MaxIdentities, options.MaxKeyVersions, static i => i.Keys.Versions.Count, StringComparer.Ordinal);
        _credentials = new BoundedCache<ApiKeyHash, CredentialOwner>(options.MaxCredentials, options.MaxCredentials, static _ => 1);
        _time = time;
        _coherence = options.Coherence;
    }

    /// <summary>Identities held now.</summary>
    public int IdentityCount => _identities.Count;

    /// <summary>Key versions held now, over all identities.</summary>
    public long KeyVersionCount => _identities.Weight;

    /// <summary>Credentials held now.</summary>
    public int CredentialCount => _credentials.Count;

    /// <summary>Whether the feed was read within the bound, so what is held may be served.</summary>
    public bool IsFresh => Volatile.Read(ref _everFresh) && _time.GetElapsedTime(Interlocked.Read(ref _freshAsOf)) < _coherence;

    /// <summary>Taken before a store read whose result may be stored (see the remarks).</summary>
    public long EvictionCount => Interlocked.Read(ref _evictions);

    public bool TryGetIdentity(string normalizedEmail, out Identity identity)
    {
        identity = null!;
        return IsFresh && _identities.TryGet(normalizedEmail, out identity);
    }

    public bool TryGetCredentialOwner(ApiKeyHash apiKeyHash, out CredentialOwner owner)
    {
        owner = null!;
        return IsFresh && _credentials.TryGet(apiKeyHash, out owner);
    }

    /// <summary>Holds <paramref name="identity"/>, read from the store after <paramref name="evictionCount"/> was taken.</summary>
    public void StoreIdentity(Identity identity, long evictionCount)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (IsFresh)
        {
            var key = identity.Email.Normalized;
            var stored = _identities.Set(key, identity);
            if (EvictionCount != evictionCount)
            {
                _identities.RemoveIfSame(key, stored);
            }
        }
    }

    /// <summary>Holds <paramref name="owner"/> of <paramref name="apiKeyHash"/>, read after <paramref name="evictionCount"/> was taken.</summary>
    public void StoreCredentialOwner(ApiKeyHash apiKeyHash, CredentialOwner owner, long evictionCount)
    {
        ArgumentNullException.ThrowIfNull(apiKeyHash);
        ArgumentNullException.ThrowIfNull(owner);
        if (IsFresh)
        {
            var stored = _credentials.Set(apiKeyHash, owner);
            if (EvictionCount != evictionCount)
            {
                _credentials.RemoveIfSame(apiKeyHash, stored);
            }
        }
    }

    /// <summary>
    /// Drops what is held of one identity after this node changed it: found by id, not address, so
    /// a state held under an address the change replaced goes too, and so do its credentials (an
    /// old API key after a rotation). One pass over each cache; writes are rare next to reads.
    /// </summary>
    public void EvictChanged(Guid identityId) => EvictChanged([identityId]);

    /// <summary>Drops what is held of identities changed through other nodes: one pass over each cache, however many changed.</summary>
    public void EvictChanged(IReadOnlyCollection<Guid> identityIds)
    {
        ArgumentNullException.ThrowIfNull(identityIds);
        if (identityIds.Count == 0)
        {
            return;
        }

        Interlocked.Increment(ref _evictions);
        if (identityIds.Count == 1)
        {
            var id = identityIds.First();
            _identities.RemoveWhere(i => i.Id == id);
            _credentials.RemoveWhere(o => o.IdentityId == id);
            return;
        }

        var changed = identityIds as IReadOnlySet<Guid> ?? identityIds.ToHashSet();
        _identities.RemoveWhere(i => changed.Contains(i.Id));
        _credentials.RemoveWhere(o => changed.Contains(o.IdentityId));
    }

    /// <summary>
    /// Drops what is held of every identity of <paramref name="normalizedEmail"/> (credentials of pending
    /// registrations included): a verification there may have destroyed the address's other pending
    /// registrations, whose ids this node does not know, and their keys must stop working here at once.
    /// </summary>
    public void EvictAddress(string normalizedEmail)
    {
        ArgumentException.ThrowIfNullOrEmpty(normalizedEmail);
        Interlocked.Increment(ref _evictions);
        _identities.RemoveWhere(i => string.Equals(i.Email.Normalized, normalizedEmail, StringComparison.Ordinal));
        _credentials.RemoveWhere(o => string.Equals(o.NormalizedEmail, normalizedEmail, StringComparison.Ordinal));
    }

    /// <summary>Drops everything: the feed lost entries this node had not read.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _evictions);
        _identities.Clear();
        _credentials.Clear();
    }

    /// <summary>Every change committed before <paramref name="readStartedAt"/> (a <see cref="TimeProvider"/> timestamp) has been evicted.</summary>
    public void MarkFresh(long readStartedAt)
    {
        Interlocked.Exchange(ref _freshAsOf, readStartedAt);
        Volatile.Write(ref _everFresh, true);
    }
}
