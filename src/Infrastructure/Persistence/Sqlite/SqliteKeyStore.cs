using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.FileSystem;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>
/// The embedded key store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so an
/// acknowledged write survives a crash or power loss. Each change is one IMMEDIATE transaction.
/// </summary>
public sealed partial class SqliteKeyStore : IKeyStore, IAuditTrail, IKeyStoreAdmin
{
    private const int SqliteConstraint = 19;
    private const string MasterKeyCheck = "master_key_check";
    private const string PathSettings = "KeyStore:Sqlite:Path (or Storage:DataDirectory)";

    // SQLite's companions of the database file: it creates them with the database's mode, but
    // reuses existing ones as they are.
    private static readonly string[] CompanionSuffixes = ["-wal", "-shm", "-journal"];

    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly ILogger _logger;

    /// <summary>
    /// A store on the file <paramref name="path"/>; <see cref="InitializeAsync"/> creates it and its
    /// directory if absent. Connections never create the file themselves (SQLite would make it 0644
    /// less the umask), so one opened before initialization fails instead.
    /// </summary>
    public SqliteKeyStore(string path, int busyTimeoutSeconds = 10, ILogger<SqliteKeyStore>? logger = null)
    {
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _busyTimeoutMs = busyTimeoutSeconds * 1000;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = busyTimeoutSeconds,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public bool RetriesWhenUnavailable => false;

    /// <summary>
    /// Creates the directory (0700) and an empty database file (0600) before SQLite first opens it,
    /// narrows what an older release left wider, then creates the schema.
    /// </summary>
    /// <exception cref="StartupConfigurationException">The file cannot be created, opened or used as a database; the message names the path and the settings.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            PrepareFiles();
            await RunAsync(
                async connection =>
                {
                    // Migrations first: a store newer than this code is refused before anything, even
                    // the journal mode, is written to it.
                    var applied = await SqliteMigrator.MigrateAsync(connection, SqliteSchema.Migrations, Path, cancellationToken).ConfigureAwait(false);
                    foreach (var migration in applied)
                    {
                        LogMigrated(_logger, Path, migration.Version, migration.Purpose);
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
                $"The SQLite key store {Path} cannot be used: {reason} Point {PathSettings} at a database file this user can create and write, in a directory of its own.");
        }
    }

    private void PrepareFiles()
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            OwnerOnlyFiles.PrepareDirectory(directory, PathSettings, _logger);
        }

        foreach (var suffix in CompanionSuffixes)
        {
            OwnerOnlyFiles.NarrowFileIfExists(Path + suffix, PathSettings, _logger);
        }

        OwnerOnlyFiles.CreateOrNarrowFile(Path, PathSettings, _logger);
    }

    /// <inheritdoc />
    public Task<byte[]> EnsureMasterKeyCheckAsync(byte[] candidate, CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using var insert = Command(connection, "INSERT OR IGNORE INTO metadata (key, value) VALUES ($key, $value);", transaction);
                insert.Parameters.AddWithValue("$key", MasterKeyCheck);
                insert.Parameters.AddWithValue("$value", candidate);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await using var select = Command(connection, "SELECT value FROM metadata WHERE key = $key;", transaction);
                select.Parameters.AddWithValue("$key", MasterKeyCheck);
                var stored = (byte[])(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return stored;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) =>
        RunAsync(async connection => await ExecuteAsync(connection, "SELECT 1 FROM metadata LIMIT 1;", cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public Task<Identity?> FindAsync(EmailAddress email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        return RunAsync(
            async connection =>
            {
                // One statement, one snapshot: the identity row and its versions agree.
                await using var command = Command(connection, """
                    SELECT i.id, i.email_display, i.api_key_hash, i.exportable, i.min_decryption_version, i.created_at, i.revision,
                           k.version, k.key_size, k.public_key, k.sealed_private_key, k.created_at
                    FROM identities i JOIN key_versions k ON k.identity_id = i.id
                    WHERE i.email_normalized = $email
                    ORDER BY k.version;
                    """);
                command.Parameters.AddWithValue("$email", email.Normalized);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                var id = new Guid(reader.GetFieldValue<byte[]>(0));
                var display = reader.GetString(1);
                var apiKeyHash = new ApiKeyHash(reader.GetFieldValue<byte[]>(2));
                var exportable = reader.GetInt64(3) != 0;
                var minDecryptionVersion = reader.GetInt32(4);
                var createdAt = FromUnixMs(reader.GetInt64(5));
                var revision = reader.GetInt64(6);
                var versions = new List<KeyVersion>();
                do
                {
                    versions.Add(new KeyVersion(
                        reader.GetInt32(7),
                        KeySize.FromBits(reader.GetInt32(8)),
                        reader.GetFieldValue<byte[]>(9),
                        new SealedPrivateKey(reader.GetFieldValue<byte[]>(10)),
                        FromUnixMs(reader.GetInt64(11))));
                }
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false));

                return new Identity(id, EmailAddress.FromStore(display), apiKeyHash, exportable, createdAt, revision, new KeyRing(versions, minDecryptionVersion));
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(EmailAddress email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        return RunAsync(
            async connection =>
            {
                await using var command = Command(connection, "SELECT 1 FROM identities WHERE email_normalized = $email;");
                command.Parameters.AddWithValue("$email", email.Normalized);
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<CredentialOwner?> FindCredentialOwnerAsync(ApiKeyHash apiKeyHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apiKeyHash);
        return RunAsync(
            async connection =>
            {
                await using var command = Command(connection, "SELECT id, email_normalized FROM identities WHERE api_key_hash = $hash;");
                command.Parameters.AddWithValue("$hash", apiKeyHash.ToArray());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new CredentialOwner(new Guid(reader.GetFieldValue<byte[]>(0)), reader.GetString(1))
                    : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task CreateAsync(Identity identity, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(auditEvents);
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                await using (var insert = Command(connection, """
                    INSERT INTO identities (id, email_normalized, email_display, api_key_hash, exportable, min_decryption_version, created_at, revision)
                    VALUES ($id, $email, $display, $hash, $exportable, $min, $created, $revision);
                    """, transaction))
                {
                    insert.Parameters.AddWithValue("$id", identity.Id.ToByteArray());
                    insert.Parameters.AddWithValue("$email", identity.Email.Normalized);
                    insert.Parameters.AddWithValue("$display", identity.Email.Display);
                    insert.Parameters.AddWithValue("$hash", identity.ApiKeyHash.ToArray());
                    insert.Parameters.AddWithValue("$exportable", identity.Exportable ? 1 : 0);
                    insert.Parameters.AddWithValue("$min", identity.Keys.MinDecryptionVersion);
                    insert.Parameters.AddWithValue("$created", ToUnixMs(identity.CreatedAt));
                    insert.Parameters.AddWithValue("$revision", identity.Revision);
                    try
                    {
                        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint && ex.Message.Contains("identities.email_normalized", StringComparison.Ordinal))
                    {
                        throw new IdentityAlreadyExistsException();
                    }
                }

                foreach (var version in identity.Keys.Versions)
                {
                    await InsertKeyVersionAsync(connection, transaction, identity.Id, version, cancellationToken).ConfigureAwait(false);
                }

                foreach (var auditEvent in auditEvents)
                {
                    await InsertAuditAsync(connection, transaction, auditEvent, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task AddKeyVersionAsync(Guid identityId, long expectedRevision, KeyVersion version, AuditEvent rotated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(rotated);
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                await BumpRevisionAsync(connection, transaction, identityId, expectedRevision, cancellationToken).ConfigureAwait(false);
                await InsertKeyVersionAsync(connection, transaction, identityId, version, cancellationToken).ConfigureAwait(false);
                await InsertAuditAsync(connection, transaction, rotated, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SetMinDecryptionVersionAsync(Guid identityId, long expectedRevision, int minDecryptionVersion, AuditEvent configured, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configured);
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                await BumpRevisionAsync(connection, transaction, identityId, expectedRevision, cancellationToken).ConfigureAwait(false);
                await using (var update = Command(connection, "UPDATE identities SET min_decryption_version = $min WHERE id = $id;", transaction))
                {
                    update.Parameters.AddWithValue("$min", minDecryptionVersion);
                    update.Parameters.AddWithValue("$id", identityId.ToByteArray());
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await InsertAuditAsync(connection, transaction, configured, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(Guid identityId, AuditEvent deleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deleted);
        return RunAsync(
            async connection =>
            {
                int rows;
                await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
                {
                    // secure_delete (set on every connection) zeroes the freed cells and pages.
                    await using var delete = Command(connection, "DELETE FROM identities WHERE id = $id;", transaction);
                    delete.Parameters.AddWithValue("$id", identityId.ToByteArray());
                    rows = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    if (rows > 0)
                    {
                        await InsertAuditAsync(connection, transaction, deleted, cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                if (rows > 0)
                {
                    await TruncateWalAsync(connection).ConfigureAwait(false);
                }

                return rows > 0;
            },
            cancellationToken);
    }

    /// <summary>
    /// The WAL still holds earlier images of the pages that held deleted sealed keys: copy the
    /// zeroed pages into the database and truncate the WAL to nothing. A reader in the middle of a
    /// transaction blocks the truncation (the pragma answers busy = 1), so it is retried briefly;
    /// the next delete's checkpoint catches up if readers never pause.
    /// </summary>
    private async Task TruncateWalAsync(SqliteConnection connection)
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await using var checkpoint = Command(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
            await using var reader = await checkpoint.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            if (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) && reader.GetInt64(0) == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt)).ConfigureAwait(false);
        }

        LogWalNotTruncated(_logger, Path);
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Migrated the key store {Path} to schema version {Version}: {Purpose}")]
    private static partial void LogMigrated(ILogger logger, string path, int version, string purpose);

    [LoggerMessage(EventId = 2200, Level = LogLevel.Warning, Message = "Could not truncate the WAL of {Path} after a delete (readers kept it busy); deleted sealed keys stay in the WAL until the next checkpoint")]
    private static partial void LogWalNotTruncated(ILogger logger, string path);

    private static async Task BumpRevisionAsync(SqliteConnection connection, SqliteTransaction transaction, Guid identityId, long expectedRevision, CancellationToken cancellationToken)
    {
        await using var update = Command(connection, "UPDATE identities SET revision = revision + 1 WHERE id = $id AND revision = $expected;", transaction);
        update.Parameters.AddWithValue("$id", identityId.ToByteArray());
        update.Parameters.AddWithValue("$expected", expectedRevision);
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            return;
        }

        await using var exists = Command(connection, "SELECT 1 FROM identities WHERE id = $id;", transaction);
        exists.Parameters.AddWithValue("$id", identityId.ToByteArray());
        throw await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null
            ? new IdentityNotFoundException()
            : new ConcurrencyConflictException();
    }

    private static async Task InsertKeyVersionAsync(SqliteConnection connection, SqliteTransaction transaction, Guid identityId, KeyVersion version, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, """
            INSERT INTO key_versions (identity_id, version, key_size, public_key, sealed_private_key, created_at)
            VALUES ($id, $version, $size, $public, $sealed, $created);
            """, transaction);
        insert.Parameters.AddWithValue("$id", identityId.ToByteArray());
        insert.Parameters.AddWithValue("$version", version.Version);
        insert.Parameters.AddWithValue("$size", version.Size.Bits);
        insert.Parameters.AddWithValue("$public", version.PublicKey);
        insert.Parameters.AddWithValue("$sealed", version.SealedPrivateKey.ToArray());
        insert.Parameters.AddWithValue("$created", ToUnixMs(version.CreatedAt));
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
        {
            // The revision check makes this unreachable for well-behaved callers; a duplicate
            // version number is a lost race all the same.
            throw new ConcurrencyConflictException();
        }
    }

    private async Task InTransactionAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken) =>
        await RunAsync(
            async connection =>
            {
                // BEGIN IMMEDIATE: take the write lock up front, so concurrent writers queue on the
                // busy timeout instead of failing on a lock upgrade.
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await work(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            },
            cancellationToken).ConfigureAwait(false);

    private async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Per-connection settings: durability on every commit, cascades, zeroing of deleted
            // content, and how long to wait for another writer.
            await ExecuteAsync(connection, $"PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA busy_timeout={_busyTimeoutMs};", cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException($"SQLite error {ex.SqliteErrorCode} (extended {ex.SqliteExtendedErrorCode}).", ex);
        }
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = Command(connection, sql, transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
