using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Startup;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// The store for deployments that outgrow one machine: a MongoDB replica set or sharded cluster
/// (a standalone mongod is refused at start, having no multi-document transactions), serving the
/// key store, the audit trail and their administration over one client.
/// </summary>
public static class MongoStore
{
    /// <summary>The adapters of the configured server and database; the client connects lazily.</summary>
    /// <exception cref="StartupConfigurationException">A setting is missing or invalid.</exception>
    public static KeyStoreAdapter Open(MongoStoreOptions options)
    {
        var connection = new MongoStoreConnection(MongoStoreSettings.Create(options));
        return new KeyStoreAdapter(new MongoKeyStore(connection), new MongoAuditTrail(connection), new MongoKeyStoreAdmin(connection), new MongoIdentityChanges(connection),
            new MongoDueWork(connection), new MongoWorkLeases(connection), connection);
    }
}
