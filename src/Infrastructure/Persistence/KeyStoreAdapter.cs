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

    internal KeyStoreAdapter(IKeyStore keyStore, IAuditTrail auditTrail, IKeyStoreAdmin admin, IDisposable? shared = null)
    {
        KeyStore = keyStore;
        AuditTrail = auditTrail;
        Admin = admin;
        _shared = shared;
    }

    /// <summary>Identities and their key rings.</summary>
    public IKeyStore KeyStore { get; }

    /// <summary>The audit trail.</summary>
    public IAuditTrail AuditTrail { get; }

    /// <summary>Set-up and health.</summary>
    public IKeyStoreAdmin Admin { get; }

    /// <inheritdoc />
    public void Dispose() => _shared?.Dispose();
}
