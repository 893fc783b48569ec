using CryptoSecure.Application.Common.Ports;

namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>
/// One backing store's adapters of the ports it serves, made together over one connection
/// (<c>SqliteStore.Open</c>, <c>MongoStore.Open</c>): the host registers each port from here, and
/// disposing this releases what they share, once: first the audit trail writes the appends still
/// queued (at shutdown, after the last request), then the connection closes.
/// </summary>
public sealed class KeyStoreAdapter : IAsyncDisposable, IDisposable
{
    private readonly IDisposable? _shared;
    private int _disposed;

    internal KeyStoreAdapter(
        IKeyStore keyStore, IAuditTrail auditTrail, IKeyStoreAdmin admin, IIdentityChangeFeed changes, IDueWork dueWork, IWorkLeases leases, IDisposable? shared = null)
    {
        DueWork = dueWork;
        Leases = leases;
        KeyStore = keyStore;
        AuditTrail = auditTrail;
        Admin = admin;
        Changes = changes;
        _shared = shared;
    }

    /// <summary>Identities and their key rings.</summary>
    public IKeyStore KeyStore { get; }

    /// <summary>The audit trail.</summary>
    public IAuditTrail AuditTrail { get; }

    /// <summary>Set-up and health.</summary>
    public IKeyStoreAdmin Admin { get; }

    /// <summary>Which identities changed, for the caches of every node on this store.</summary>
    public IIdentityChangeFeed Changes { get; }

    /// <summary>The due deletions and rotations, for the lifecycle workers.</summary>
    public IDueWork DueWork { get; }

    /// <summary>Which node does the background work.</summary>
    public IWorkLeases Leases { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (AuditTrail is IAsyncDisposable queued)
            {
                await queued.DisposeAsync().ConfigureAwait(false);
            }

            _shared?.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
