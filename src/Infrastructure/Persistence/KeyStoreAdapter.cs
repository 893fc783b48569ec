using CryptoSecure.Application.Common.Ports;

namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>
/// One backing store's adapters of the ports it serves, made together over one connection
/// (<c>SqliteStore.Open</c>, <c>MongoStore.Open</c>): the host registers each port from here, and
/// disposing this releases what they share, once.
/// </summary>
public sealed class KeyStoreAdapter : IDisposable
{
    private readonly IDisposable? _shared;

    internal KeyStoreAdapter(IKeyStore keyStore, IAuditTrail auditTrail, IKeyStoreAdmin admin, IIdentityChangeFeed changes, IDisposable? shared = null)
    {
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

    /// <inheritdoc />
    public void Dispose() => _shared?.Dispose();
}
