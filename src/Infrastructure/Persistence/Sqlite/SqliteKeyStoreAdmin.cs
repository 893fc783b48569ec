using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.FileSystem;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using static CryptoSecure.Infrastructure.Persistence.Sqlite.SqliteStoreConnection;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>
/// The SQLite store's life outside requests: its files made owner-only before SQLite first opens
/// them, its schema brought up to date (<see cref="SqliteSchema"/>), the master-key check value, health.
/// </summary>
public sealed partial class SqliteKeyStoreAdmin : IKeyStoreAdmin
{
    private const string PathSettings = "KeyStore:Sqlite:Path (or Storage:DataDirectory)";

    // SQLite's companions of the database file: it creates them with the database's mode, but
    // reuses existing ones as they are.
    private static readonly string[] CompanionSuffixes = ["-wal", "-shm", "-journal"];

    private readonly SqliteStoreConnection _connection;

    internal SqliteKeyStoreAdmin(SqliteStoreConnection connection) => _connection = connection;

    /// <inheritdoc />
    public bool RetriesWhenUnavailable => false;

    /// <summary>
    /// Creates the directory (0700) and an empty database file (0600) before SQLite first opens it,
    /// narrows what an older release left wider, then brings the schema to this code's version.
    /// </summary>
    /// <exception cref="StartupConfigurationException">The file cannot be created, opened or used as a database, or was written by a newer schema; the message names the path and the settings.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            PrepareFiles();
            await _connection.RunAsync(
                async connection =>
                {
                    // Migrations first: a store newer than this code is refused before anything, even
                    // the journal mode, is written to it.
                    var applied = await SqliteMigrator.MigrateAsync(connection, SqliteSchema.Migrations, _connection.Path, cancellationToken).ConfigureAwait(false);
                    foreach (var migration in applied)
                    {
                        LogMigrated(_connection.Logger, _connection.Path, migration.Version, migration.Purpose);
                    }

                    await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
                    return 0;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or IOException or UnauthorizedAccessException)
        {
            // Not a bug but a path or permission problem: the server reports it as one line, saying what to change.
            var reason = (ex.InnerException as SqliteException)?.Message ?? ex.Message;
            throw new StartupConfigurationException(
                $"The SQLite key store {_connection.Path} cannot be used: {reason} Point {PathSettings} at a database file this user can create and write, in a directory of its own.");
        }
    }

    /// <inheritdoc />
    public Task<byte[]> EnsureMasterKeyCheckAsync(byte[] candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return _connection.InTransactionAsync(
            async (connection, transaction) =>
            {
                await using var insert = Command(connection, "INSERT OR IGNORE INTO metadata (key, value) VALUES ($key, $value);", transaction);
                insert.Parameters.AddWithValue("$key", StoreMetadata.MasterKeyCheck);
                insert.Parameters.AddWithValue("$value", candidate);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await using var select = Command(connection, "SELECT value FROM metadata WHERE key = $key;", transaction);
                select.Parameters.AddWithValue("$key", StoreMetadata.MasterKeyCheck);
                return (byte[])(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync(connection => ExecuteAsync(connection, "SELECT 1 FROM metadata LIMIT 1;", cancellationToken), cancellationToken);

    private void PrepareFiles()
    {
        var path = _connection.Path;
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            OwnerOnlyFiles.PrepareDirectory(directory, PathSettings, _connection.Logger);
        }

        foreach (var suffix in CompanionSuffixes)
        {
            OwnerOnlyFiles.NarrowFileIfExists(path + suffix, PathSettings, _connection.Logger);
        }

        OwnerOnlyFiles.CreateOrNarrowFile(path, PathSettings, _connection.Logger);
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Migrated the key store {Path} to schema version {Version}: {Purpose}")]
    private static partial void LogMigrated(ILogger logger, string path, int version, string purpose);
}
