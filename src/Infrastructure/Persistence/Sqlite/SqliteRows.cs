using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using Microsoft.Data.Sqlite;
using static CryptoSecure.Infrastructure.Persistence.StoreTime;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>
/// Maps domain objects to SQLite rows and back, by hand: Guids as their 16 bytes, booleans as 0/1,
/// times as Unix milliseconds (<see cref="StoreTime"/>), enums by name. Only shape conversion
/// here; the domain's constructors do the validation.
/// </summary>
internal static class SqliteRows
{
    /// <summary>The identity row and its key versions, one row per version, oldest first (see <see cref="ReadIdentityAsync"/>).</summary>
    public const string IdentityWithVersionsColumns = """
        i.id, i.email_display, i.api_key_hash, i.exportable, i.min_decryption_version, i.created_at, i.revision,
        k.version, k.key_size, k.public_key, k.sealed_private_key, k.created_at, k.signing_public_key, k.sealed_signing_key,
        i.deletes_at, i.auto_rotate_seconds, k.sealed_by, k.signing_sealed_by
        """;

    /// <summary>The audit event columns <see cref="ReadAuditEvent"/> reads, in its order.</summary>
    public const string AuditColumns = "seq, occurred_at, action, outcome, actor, key_version, client_address, request_id, occurrences, last_occurred_at";

    /// <summary>The key of an identity's rows: its Guid's 16 bytes.</summary>
    public static byte[] Key(Guid identityId) => identityId.ToByteArray();

    /// <summary>Restores an identity from the rows of <see cref="IdentityWithVersionsColumns"/>; null when there are none.</summary>
    public static async Task<Identity?> ReadIdentityAsync(SqliteDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var id = new Guid(reader.GetFieldValue<byte[]>(0));
        var display = reader.GetString(1);
        var apiKeyHash = new ApiKeyHash(reader.GetFieldValue<byte[]>(2));
        var exportable = reader.GetInt64(3) != 0;
        var minDecryptionVersion = reader.GetInt32(4);
        var createdAt = FromUnixMilliseconds(reader.GetInt64(5));
        var revision = reader.GetInt64(6);
        DateTimeOffset? deletesAt = reader.IsDBNull(14) ? null : FromUnixMilliseconds(reader.GetInt64(14));
        TimeSpan? autoRotatePeriod = reader.IsDBNull(15) ? null : TimeSpan.FromSeconds(reader.GetInt64(15));
        var versions = new List<KeyVersion>();
        do
        {
            versions.Add(new KeyVersion(
                reader.GetInt32(7),
                KeySize.FromBits(reader.GetInt32(8)),
                reader.GetFieldValue<byte[]>(9),
                new SealedPrivateKey(reader.GetFieldValue<byte[]>(10), reader.IsDBNull(16) ? null : reader.GetString(16)),
                FromUnixMilliseconds(reader.GetInt64(11)),
                reader.IsDBNull(12) ? null : new SigningKey(reader.GetFieldValue<byte[]>(12), new SealedPrivateKey(reader.GetFieldValue<byte[]>(13), reader.IsDBNull(17) ? null : reader.GetString(17)))));
        }
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false));

        return Identity.Restore(id, EmailAddress.FromStore(display), apiKeyHash, exportable, createdAt, revision, new KeyRing(versions, minDecryptionVersion), deletesAt, autoRotatePeriod);
    }

    /// <summary>$id, $email, $display, $hash, $exportable, $min, $created, $revision, $deletesAt, $autoRotate, $nextRotation: every column of the identity row.</summary>
    public static void AddIdentity(SqliteParameterCollection parameters, Identity identity)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(identity);
        parameters.AddWithValue("$id", Key(identity.Id));
        parameters.AddWithValue("$email", identity.Email.Normalized);
        parameters.AddWithValue("$display", identity.Email.Display);
        parameters.AddWithValue("$hash", identity.ApiKeyHash.ToArray());
        parameters.AddWithValue("$exportable", identity.Exportable ? 1 : 0);
        parameters.AddWithValue("$min", identity.Keys.MinDecryptionVersion);
        parameters.AddWithValue("$created", ToUnixMilliseconds(identity.CreatedAt));
        parameters.AddWithValue("$revision", identity.Revision);
        parameters.AddWithValue("$deletesAt", identity.DeletesAt is { } deletesAt ? ToUnixMilliseconds(deletesAt) : (object)DBNull.Value);
        parameters.AddWithValue("$autoRotate", identity.AutoRotatePeriod is { } period ? (long)period.TotalSeconds : (object)DBNull.Value);
        parameters.AddWithValue("$nextRotation", identity.NextRotationAt is { } next ? ToUnixMilliseconds(next) : (object)DBNull.Value);
    }

    /// <summary>$id, $version, $size, $public, $sealed, $sealedBy, $created, $signingPublic, $signingSealed, $signingSealedBy: one key version of <paramref name="identityId"/>.</summary>
    public static void AddKeyVersion(SqliteParameterCollection parameters, Guid identityId, KeyVersion version)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(version);
        parameters.AddWithValue("$id", Key(identityId));
        parameters.AddWithValue("$version", version.Version);
        parameters.AddWithValue("$size", version.Size.Bits);
        parameters.AddWithValue("$public", version.PublicKey);
        parameters.AddWithValue("$sealed", version.SealedPrivateKey.ToArray());
        parameters.AddWithValue("$sealedBy", (object?)version.SealedPrivateKey.SealedBy ?? DBNull.Value);
        parameters.AddWithValue("$created", ToUnixMilliseconds(version.CreatedAt));
        AddSigningKey(parameters, version.SigningKey);
    }

    /// <summary>$signingPublic, $signingSealed, $signingSealedBy: a version's signing key, or NULLs.</summary>
    public static void AddSigningKey(SqliteParameterCollection parameters, SigningKey? signingKey)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.AddWithValue("$signingPublic", (object?)signingKey?.PublicKey ?? DBNull.Value);
        parameters.AddWithValue("$signingSealed", (object?)signingKey?.SealedPrivateKey.ToArray() ?? DBNull.Value);
        parameters.AddWithValue("$signingSealedBy", (object?)signingKey?.SealedPrivateKey.SealedBy ?? DBNull.Value);
    }

    /// <summary>Every column of an audit event row, its kind and bucket (<see cref="AuditAggregation.BucketOf"/>) included.</summary>
    public static void AddAuditEvent(SqliteParameterCollection parameters, AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(auditEvent);
        parameters.AddWithValue("$id", Key(auditEvent.IdentityId));
        parameters.AddWithValue("$at", ToUnixMilliseconds(auditEvent.OccurredAt));
        parameters.AddWithValue("$action", auditEvent.Action.ToString());
        parameters.AddWithValue("$outcome", auditEvent.Outcome.ToString());
        parameters.AddWithValue("$actor", auditEvent.Actor.ToString());
        parameters.AddWithValue("$version", (object?)auditEvent.KeyVersion ?? DBNull.Value);
        parameters.AddWithValue("$address", (object?)auditEvent.ClientAddress ?? DBNull.Value);
        parameters.AddWithValue("$request", (object?)auditEvent.RequestId ?? DBNull.Value);
        parameters.AddWithValue("$kind", auditEvent.Kind.ToString());
        parameters.AddWithValue("$count", auditEvent.Count);
        parameters.AddWithValue("$last", ToUnixMilliseconds(auditEvent.LastOccurredAt));
        parameters.AddWithValue("$bucket", (object?)AuditAggregation.BucketOf(auditEvent) ?? DBNull.Value);
    }

    /// <summary>The event of the current row of <see cref="AuditColumns"/>, and its sequence number.</summary>
    public static (AuditEvent Event, long Sequence) ReadAuditEvent(SqliteDataReader reader, Guid identityId)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var occurredAt = FromUnixMilliseconds(reader.GetInt64(1));
        var auditEvent = new AuditEvent(
            identityId,
            occurredAt,
            Enum.Parse<AuditAction>(reader.GetString(2)),
            Enum.Parse<AuditOutcome>(reader.GetString(3)),
            Enum.Parse<AuditActor>(reader.GetString(4)),
            reader.IsDBNull(5) ? null : reader.GetInt32(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7))
        {
            Count = reader.GetInt32(8),

            // Rows from before aggregation (schema 1) have no last occurrence: it is the first.
            LastOccurredAt = reader.IsDBNull(9) ? occurredAt : FromUnixMilliseconds(reader.GetInt64(9)),
        };
        return (auditEvent, reader.GetInt64(0));
    }
}
