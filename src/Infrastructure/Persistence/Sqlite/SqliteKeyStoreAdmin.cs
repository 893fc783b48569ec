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
                    // A damaged file is refused before anything is written to it (PRAGMA quick_check
                    // reads every page; it skips only the index-content cross-check of integrity_check, ADR-021).
                    await RefuseDamagedAsync(connection, cancellationToken).ConfigureAwait(false);

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

    /// <summary>The refusal of a store file that fails SQLite's quick check; the file is left as it is.</summary>
    internal static string DamagedMessage(string path, string finding) =>
        $"The SQLite key store {path} fails SQLite's integrity check (quick_check: {finding}), so it was not opened and was left untouched. " +
        "Keep the file for analysis and restore the last backup into a new file (dotnet CryptoSecure.Api.dll restore SNAPSHOT --to PATH), then point KeyStore:Sqlite:Path at it.";

    private async Task RefuseDamagedAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        string? finding;
        try
        {
            await using var check = Command(connection, "PRAGMA quick_check(1);");
            finding = await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
        {
            // SQLITE_CORRUPT, SQLITE_NOTADB: not readable as a database at all.
            finding = ex.Message.Split('\n')[0].Trim();
        }

        if (finding != "ok")
        {
            throw new StartupConfigurationException(DamagedMessage(_connection.Path, (finding ?? "no answer").ReplaceLineEndings(" ")));
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
    public Task<string?> ReadMasterKeyCheckIdAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async connection =>
            {
                await using var select = Command(connection, "SELECT value FROM metadata WHERE key = $key;");
                select.Parameters.AddWithValue("$key", StoreMetadata.MasterKeyCheckId);
                return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] id ? System.Text.Encoding.ASCII.GetString(id) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task AdoptMasterKeyAsync(string checkKeyId, byte[] currentCheckValue, string currentKeyId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkKeyId);
        ArgumentNullException.ThrowIfNull(currentCheckValue);
        ArgumentException.ThrowIfNullOrEmpty(currentKeyId);
        return _connection.InTransactionAsync(
            async (connection, transaction) =>
            {
                // One statement a command: a multi-statement command may stop silently after a failing one.
                string[] statements =
                [
                    "UPDATE key_versions SET sealed_by = $checkId WHERE sealed_by IS NULL;",
                    "UPDATE key_versions SET signing_sealed_by = $checkId WHERE sealed_signing_key IS NOT NULL AND signing_sealed_by IS NULL;",
                    "INSERT INTO metadata (key, value) VALUES ($checkKey, $check) ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
                    "INSERT INTO metadata (key, value) VALUES ($idKey, $id) ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
                ];
                foreach (var statement in statements)
                {
                    await using var command = Command(connection, statement, transaction);
                    command.Parameters.AddWithValue("$checkId", checkKeyId);
                    command.Parameters.AddWithValue("$checkKey", StoreMetadata.MasterKeyCheck);
                    command.Parameters.AddWithValue("$check", currentCheckValue);
                    command.Parameters.AddWithValue("$idKey", StoreMetadata.MasterKeyCheckId);
                    command.Parameters.AddWithValue("$id", System.Text.Encoding.ASCII.GetBytes(currentKeyId));
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SealedKeyCount>> CountSealedKeysAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async connection =>
            {
                // One statement, one snapshot.
                await using var count = Command(connection, """
                    SELECT id, SUM(n) FROM (
                        SELECT sealed_by AS id, COUNT(*) AS n FROM key_versions GROUP BY sealed_by
                        UNION ALL
                        SELECT signing_sealed_by, COUNT(*) FROM key_versions WHERE sealed_signing_key IS NOT NULL GROUP BY signing_sealed_by)
                    GROUP BY id ORDER BY id;
                    """);
                var counts = new List<SealedKeyCount>();
                await using var reader = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    counts.Add(new SealedKeyCount(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1)));
                }

                return (IReadOnlyList<SealedKeyCount>)counts;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindSealedByOtherThanAsync(string masterKeyId, string? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(masterKeyId);
        return _connection.RunAsync(
            async connection =>
            {
                await using var find = Command(connection, """
                    SELECT i.email_normalized FROM identities i
                    WHERE i.email_normalized > $after AND EXISTS (
                        SELECT 1 FROM key_versions k WHERE k.identity_id = i.id
                        AND (k.sealed_by IS NOT $keyId OR (k.sealed_signing_key IS NOT NULL AND k.signing_sealed_by IS NOT $keyId)))
                    ORDER BY i.email_normalized LIMIT $limit;
                    """);
                find.Parameters.AddWithValue("$keyId", masterKeyId);
                find.Parameters.AddWithValue("$after", after ?? string.Empty);
                find.Parameters.AddWithValue("$limit", limit);
                var emails = new List<string>();
                await using var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    emails.Add(reader.GetString(0));
                }

                return (IReadOnlyList<string>)emails;
            },
            cancellationToken);
    }

    /// <summary>
    /// <c>VACUUM INTO</c> a new owner-only (0600) file beside the store (its directory is 0700):
    /// one read transaction, so the copy is consistent while writers go on. The stream deletes the
    /// file when it is disposed; a file left by a crash is removed at the next snapshot.
    /// </summary>
    public async Task<Stream> OpenSnapshotAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(_connection.Path)!;
        RemoveStaleSnapshots(directory);
        var file = System.IO.Path.Combine(directory, $"{SnapshotPrefix}{Guid.NewGuid():N}.db");

        // An empty file of our making is what VACUUM INTO may write into: its mode is ours, not SQLite's.
        OwnerOnlyFiles.CreateOrNarrowFile(file, PathSettings, _connection.Logger);
        try
        {
            await _connection.RunAsync(
                async connection =>
                {
                    await using var vacuum = Command(connection, "VACUUM INTO $file;");
                    vacuum.Parameters.AddWithValue("$file", file);
                    await vacuum.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    return 0;
                },
                cancellationToken).ConfigureAwait(false);
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        }
        catch
        {
            File.Delete(file);
            throw;
        }
    }

    private const string SnapshotPrefix = ".cryptosecure-snapshot-";

    private static void RemoveStaleSnapshots(string directory)
    {
        foreach (var stale in Directory.EnumerateFiles(directory, SnapshotPrefix + "*.db"))
        {
            // Another snapshot being streamed right now is open; on Unix deleting it only unlinks the name.
            if (File.GetLastWriteTimeUtc(stale) < DateTime.UtcNow.AddHours(-1))
            {
                File.Delete(stale);
            }
        }
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
