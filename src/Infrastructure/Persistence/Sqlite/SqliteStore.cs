using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, serving the key
/// store, the audit trail and their administration over one connection setting.
/// </summary>
public static class SqliteStore
{
    /// <summary>
    /// The adapters of the file <paramref name="path"/>. Nothing is opened yet:
    /// <see cref="IKeyStoreAdmin.InitializeAsync"/> creates the file and its directory if absent.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeoutSeconds">How long a write waits for another writer's lock.</param>
    /// <param name="logger">Where file-permission, migration and checkpoint messages go.</param>
    public static KeyStoreAdapter Open(string path, int busyTimeoutSeconds = 10, ILogger? logger = null)
    {
        var connection = new SqliteStoreConnection(path, busyTimeoutSeconds, logger ?? NullLogger.Instance);
        return new KeyStoreAdapter(new SqliteKeyStore(connection), new SqliteAuditTrail(connection), new SqliteKeyStoreAdmin(connection), new SqliteIdentityChanges(connection),
            new SqliteDueWork(connection), new SqliteWorkLeases(connection));
    }
}
