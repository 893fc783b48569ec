using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using static CryptoSecure.Infrastructure.Persistence.Sqlite.SqliteStoreConnection;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>
/// Identities and their key rings in SQLite: one row per identity, one per key version. Each
/// change and its audit events are one IMMEDIATE transaction, committed with
/// <c>synchronous=FULL</c>, so an acknowledged write survives a crash or power loss.
/// </summary>
public sealed partial class SqliteKeyStore : IKeyStore
{
    private readonly SqliteStoreConnection _connection;

    internal SqliteKeyStore(SqliteStoreConnection connection) => _connection = connection;

    /// <inheritdoc />
    public Task<Identity?> FindAsync(EmailAddress email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        return _connection.RunAsync(
            async connection =>
            {
                // One statement, one snapshot: the identity row and its versions agree.
                await using var command = Command(connection, $"""
                    SELECT {SqliteRows.IdentityWithVersionsColumns}
                    FROM identities i JOIN key_versions k ON k.identity_id = i.id
                    WHERE i.email_normalized = $email
                    ORDER BY k.version;
                    """);
                command.Parameters.AddWithValue("$email", email.Normalized);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await SqliteRows.ReadIdentityAsync(reader, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<CredentialOwner?> FindCredentialOwnerAsync(ApiKeyHash apiKeyHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apiKeyHash);
        return _connection.RunAsync(
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
        return _connection.InTransactionAsync(
            async (connection, transaction) =>
            {
                await using (var insert = Command(connection, """
                    INSERT INTO identities (id, email_normalized, email_display, api_key_hash, exportable, min_decryption_version, created_at, revision,
                                            deletes_at, auto_rotate_seconds, next_rotation_at)
                    VALUES ($id, $email, $display, $hash, $exportable, $min, $created, $revision, $deletesAt, $autoRotate, $nextRotation);
                    """, transaction))
                {
                    SqliteRows.AddIdentity(insert.Parameters, identity);
                    try
                    {
                        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (SqliteException ex) when (SqliteErrors.IsUniqueViolationOf(ex, "identities.email_normalized"))
                    {
                        throw new IdentityAlreadyExistsException();
                    }
                }

                await AppendAsync(connection, transaction, identity, identity.Keys.Versions, auditEvents, cancellationToken).ConfigureAwait(false);
                await SqliteIdentityChanges.RecordAsync(connection, transaction, identity.Id, cancellationToken).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveAsync(Identity nextState, long expectedRevision, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        SaveRules.CheckArguments(nextState, expectedRevision, auditEvents);
        return _connection.InTransactionAsync(
            async (connection, transaction) =>
            {
                // The transaction holds the write lock from its start, so what is read here stays
                // true until the commit: no other writer can slip in between the check and the write.
                var stored = await ReadStoredStateAsync(connection, transaction, nextState.Id, cancellationToken).ConfigureAwait(false);
                var newVersions = SaveRules.VersionsToAppend(stored, nextState, expectedRevision);
                var newSigningKeys = SaveRules.SigningKeysToAdd(stored!.Value, nextState);
                var resealed = SaveRules.ResealedVersions(stored.Value, nextState);
                await using (var update = Command(connection, """
                    UPDATE identities
                    SET email_normalized = $email, email_display = $display, api_key_hash = $hash, exportable = $exportable,
                        min_decryption_version = $min, revision = $revision,
                        deletes_at = $deletesAt, auto_rotate_seconds = $autoRotate, next_rotation_at = $nextRotation
                    WHERE id = $id AND revision = $expected;
                    """, transaction))
                {
                    SqliteRows.AddIdentity(update.Parameters, nextState);
                    update.Parameters.AddWithValue("$expected", expectedRevision);
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                foreach (var version in newSigningKeys)
                {
                    await using var addSigningKey = Command(connection, """
                        UPDATE key_versions SET signing_public_key = $signingPublic, sealed_signing_key = $signingSealed, signing_sealed_by = $signingSealedBy
                        WHERE identity_id = $id AND version = $version AND signing_public_key IS NULL;
                        """, transaction);
                    SqliteRows.AddSigningKey(addSigningKey.Parameters, version.SigningKey);
                    addSigningKey.Parameters.AddWithValue("$id", SqliteRows.Key(nextState.Id));
                    addSigningKey.Parameters.AddWithValue("$version", version.Version);
                    await addSigningKey.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                foreach (var version in resealed)
                {
                    // The same key pair, sealed under another master key: both sealed keys and
                    // the ids that name their master key move together.
                    await using var reseal = Command(connection, """
                        UPDATE key_versions
                        SET sealed_private_key = $sealed, sealed_by = $sealedBy,
                            sealed_signing_key = COALESCE($signingSealed, sealed_signing_key),
                            signing_sealed_by = CASE WHEN $signingSealed IS NULL THEN signing_sealed_by ELSE $signingSealedBy END
                        WHERE identity_id = $id AND version = $version;
                        """, transaction);
                    reseal.Parameters.AddWithValue("$id", SqliteRows.Key(nextState.Id));
                    reseal.Parameters.AddWithValue("$version", version.Version);
                    reseal.Parameters.AddWithValue("$sealed", version.SealedPrivateKey.ToArray());
                    reseal.Parameters.AddWithValue("$sealedBy", (object?)version.SealedPrivateKey.SealedBy ?? DBNull.Value);
                    var signing = newSigningKeys.Any(v => v.Version == version.Version) ? null : version.SigningKey;
                    reseal.Parameters.AddWithValue("$signingSealed", (object?)signing?.SealedPrivateKey.ToArray() ?? DBNull.Value);
                    reseal.Parameters.AddWithValue("$signingSealedBy", (object?)signing?.SealedPrivateKey.SealedBy ?? DBNull.Value);
                    await reseal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await AppendAsync(connection, transaction, nextState, newVersions, auditEvents, cancellationToken).ConfigureAwait(false);
                await SqliteIdentityChanges.RecordAsync(connection, transaction, nextState.Id, cancellationToken).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(Guid identityId, AuditEvent deleted, CancellationToken cancellationToken) =>
        DeleteAsync(identityId, null, deleted, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteIfUnchangedAsync(Guid identityId, long expectedRevision, AuditEvent deleted, CancellationToken cancellationToken) =>
        DeleteAsync(identityId, (long?)expectedRevision, deleted, cancellationToken);

    private Task<bool> DeleteAsync(Guid identityId, long? expectedRevision, AuditEvent deleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deleted);
        return _connection.InTransactionAsync(
            async (connection, transaction) =>
            {
                // secure_delete (set on every connection) zeroes the freed cells and pages.
                await using var delete = Command(connection, "DELETE FROM identities WHERE id = $id AND ($expected IS NULL OR revision = $expected);", transaction);
                delete.Parameters.AddWithValue("$id", SqliteRows.Key(identityId));
                delete.Parameters.AddWithValue("$expected", (object?)expectedRevision ?? DBNull.Value);
                var deletedAny = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
                if (deletedAny)
                {
                    await SqliteAuditTrail.InsertAsync(connection, transaction, deleted, cancellationToken).ConfigureAwait(false);
                    await SqliteIdentityChanges.RecordAsync(connection, transaction, identityId, cancellationToken).ConfigureAwait(false);
                }

                return deletedAny;
            },
            // Outside the write gate: the checkpoint may wait for readers, and other writers need not.
            async (connection, deletedAny) =>
            {
                if (deletedAny)
                {
                    await TruncateWalAsync(connection).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    private static async Task<StoredIdentityState?> ReadStoredStateAsync(SqliteConnection connection, SqliteTransaction transaction, Guid identityId, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, """
            SELECT i.revision, (SELECT COUNT(*) FROM key_versions k WHERE k.identity_id = i.id)
            FROM identities i WHERE i.id = $id;
            """, transaction);
        select.Parameters.AddWithValue("$id", SqliteRows.Key(identityId));
        long revision;
        int count;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            revision = reader.GetInt64(0);
            count = reader.GetInt32(1);
        }

        await using var versions = Command(connection, "SELECT version, signing_public_key IS NULL, sealed_by, signing_sealed_by FROM key_versions WHERE identity_id = $id;", transaction);
        versions.Parameters.AddWithValue("$id", SqliteRows.Key(identityId));
        var withoutSigningKey = new List<int>();
        var sealedBy = new Dictionary<int, StoredSealers>();
        await using (var reader = await versions.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var version = reader.GetInt32(0);
                var unsigned = reader.GetInt64(1) != 0;
                if (unsigned)
                {
                    withoutSigningKey.Add(version);
                }

                sealedBy[version] = new StoredSealers(reader.IsDBNull(2) ? null : reader.GetString(2), unsigned ? null : reader.IsDBNull(3) ? null : reader.GetString(3));
            }
        }

        return new StoredIdentityState(revision, count, withoutSigningKey, sealedBy);
    }

    private static async Task AppendAsync(
        SqliteConnection connection, SqliteTransaction transaction, Identity identity, IEnumerable<KeyVersion> versions, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        foreach (var version in versions)
        {
            await using var insert = Command(connection, """
                INSERT INTO key_versions (identity_id, version, key_size, public_key, sealed_private_key, sealed_by, created_at, signing_public_key, sealed_signing_key, signing_sealed_by)
                VALUES ($id, $version, $size, $public, $sealed, $sealedBy, $created, $signingPublic, $signingSealed, $signingSealedBy);
                """, transaction);
            SqliteRows.AddKeyVersion(insert.Parameters, identity.Id, version);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var auditEvent in auditEvents)
        {
            await SqliteAuditTrail.InsertAsync(connection, transaction, auditEvent, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The WAL still holds earlier images of the pages that held deleted sealed keys: copy the
    /// zeroed pages into the database and truncate the WAL to nothing. A reader in the middle of a
    /// transaction blocks the truncation (the pragma answers busy = 1), so it is retried briefly;
    /// the next delete's checkpoint catches up if readers never pause.
    /// </summary>
    // After the delete has committed: a failing checkpoint must not turn a done deletion into a
    // 503 (a retry would then get 404), so it is logged, not thrown.
    private async Task TruncateWalAsync(SqliteConnection connection)
    {
        try
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
        }
        catch (SqliteException)
        {
            // Falls through to the warning: the sealed keys are deleted, only the WAL copy remains.
        }

        LogWalNotTruncated(_connection.Logger, _connection.Path);
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Warning, Message = "Could not truncate the WAL of {Path} after a delete (readers kept it busy, or the checkpoint failed); deleted sealed keys stay in the WAL until the next checkpoint")]
    private static partial void LogWalNotTruncated(ILogger logger, string path);
}
