using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Caching;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CryptoSecure.Infrastructure.Tests.Caching;

/// <summary>
/// Nodes sharing one SQLite file, each with its own adapter, cache and feed reader on one fake
/// clock, so a test decides when each node reads the feed and how much time has passed.
/// </summary>
internal sealed class CacheNodes : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cryptosecure-cache-").FullName;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public string DatabasePath => Path.Combine(_directory, "store.db");

    public static CacheOptions Options(double coherenceSeconds = 1, int maxIdentities = 100) =>
        new() { CoherenceSeconds = coherenceSeconds, MaxIdentities = maxIdentities, MaxKeyVersions = 100_000, MaxCredentials = 100 };

    /// <summary>A node whose first feed read has run, so its cache serves.</summary>
    public async Task<Node> StartNodeAsync(CacheOptions? options = null, IIdentityChangeFeed? feed = null)
    {
        var adapter = SqliteStore.Open(DatabasePath);
        await adapter.Admin.InitializeAsync(default);
        var settings = options ?? Options();
        var cache = new IdentityCache(settings, Clock);
        var counting = new CountingKeyStore(adapter.KeyStore);
        var readiness = new KeyStoreReadiness();
        readiness.MarkInitialized();
        var coherence = new IdentityCacheCoherence(feed ?? adapter.Changes, cache, settings, readiness, Clock, NullLogger<IdentityCacheCoherence>.Instance);
        await coherence.PollOnceAsync(default);
        return new Node(new CachingKeyStore(counting, cache), counting, cache, coherence);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One node: the store the application sees, the store behind it, the cache and the feed reader.</summary>
    public sealed record Node(CachingKeyStore Store, CountingKeyStore Backing, IdentityCache Cache, IdentityCacheCoherence Coherence)
    {
        public Task PollAsync() => Coherence.PollOnceAsync(default);
    }
}

/// <summary>A key store that counts the reads that reach it and can hold one identity read at a gate.</summary>
internal sealed class CountingKeyStore(IKeyStore store) : IKeyStore
{
    private int _finds;
    private int _credentialFinds;

    public int Finds => Volatile.Read(ref _finds);

    public int CredentialFinds => Volatile.Read(ref _credentialFinds);

    /// <summary>When set, the next identity read waits here after reading the store, before it returns.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public async Task<Identity?> FindAsync(EmailAddress email, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _finds);
        var found = await store.FindAsync(email, cancellationToken);
        if (Gate is { } gate)
        {
            Gate = null;
            await gate.Task;
        }

        return found;
    }

    public Task<CredentialOwner?> FindCredentialOwnerAsync(ApiKeyHash apiKeyHash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _credentialFinds);
        return store.FindCredentialOwnerAsync(apiKeyHash, cancellationToken);
    }

    public Task CreateAsync(Identity identity, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken) =>
        store.CreateAsync(identity, auditEvents, cancellationToken);

    public Task SaveAsync(Identity nextState, long expectedRevision, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken) =>
        store.SaveAsync(nextState, expectedRevision, auditEvents, cancellationToken);

    public Task<bool> DeleteAsync(Guid identityId, AuditEvent deleted, CancellationToken cancellationToken) =>
        store.DeleteAsync(identityId, deleted, cancellationToken);

    public Task<bool> DeleteIfUnchangedAsync(Guid identityId, long expectedRevision, AuditEvent deleted, CancellationToken cancellationToken) =>
        store.DeleteIfUnchangedAsync(identityId, expectedRevision, deleted, cancellationToken);
}
