using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using MongoDB.Bson;
using MongoDB.Driver;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// Maps domain objects to BSON documents and back, by hand so every stored type is explicit:
/// Guids as binary subtype 4 (RFC 4122 byte order, <see cref="GuidRepresentation.Standard"/>),
/// keys and hashes as generic binary, times as BSON datetimes (milliseconds, UTC), enums by name.
/// Only shape conversion here: the domain constructors do the validation.
/// </summary>
internal static class MongoDocuments
{
    /// <summary>A Guid as BSON binary subtype 4.</summary>
    public static BsonBinaryData ToBson(Guid id) => new(id, GuidRepresentation.Standard);

    /// <summary>The identity document, with every key version embedded.</summary>
    public static BsonDocument ToDocument(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var document = new BsonDocument
        {
            { MongoSchema.IdentityFields.Id, ToBson(identity.Id) },
            { MongoSchema.IdentityFields.EmailNormalized, identity.Email.Normalized },
            { MongoSchema.IdentityFields.EmailDisplay, identity.Email.Display },
            { MongoSchema.IdentityFields.ApiKeyHash, Binary(identity.ApiKeyHash.ToArray()) },
            { MongoSchema.IdentityFields.Exportable, identity.Exportable },
            { MongoSchema.IdentityFields.MinDecryptionVersion, identity.Keys.MinDecryptionVersion },
            { MongoSchema.IdentityFields.CreatedAt, ToBson(identity.CreatedAt) },
            { MongoSchema.IdentityFields.Revision, new BsonInt64(identity.Revision) },
            { MongoSchema.IdentityFields.Keys, new BsonArray(identity.Keys.Versions.Select(ToDocument)) },
        };
        if (identity.DeletesAt is { } deletesAt)
        {
            document.Add(MongoSchema.IdentityFields.DeletesAt, ToBson(deletesAt));
        }

        if (identity.AutoRotatePeriod is { } period)
        {
            document.Add(MongoSchema.IdentityFields.AutoRotateSeconds, new BsonInt64((long)period.TotalSeconds));
            document.Add(MongoSchema.IdentityFields.NextRotationAt, ToBson(identity.NextRotationAt!.Value));
        }

        return document;
    }

    /// <summary>
    /// The update that sets every field of the identity document to <paramref name="identity"/>'s,
    /// except what never changes (id, creation time) and the key versions, which are append-only
    /// and pushed on their own.
    /// </summary>
    public static UpdateDefinition<BsonDocument> SetIdentityFields(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var update = Builders<BsonDocument>.Update
            .Set(MongoSchema.IdentityFields.EmailNormalized, identity.Email.Normalized)
            .Set(MongoSchema.IdentityFields.EmailDisplay, identity.Email.Display)
            .Set(MongoSchema.IdentityFields.ApiKeyHash, Binary(identity.ApiKeyHash.ToArray()))
            .Set(MongoSchema.IdentityFields.Exportable, identity.Exportable)
            .Set(MongoSchema.IdentityFields.MinDecryptionVersion, identity.Keys.MinDecryptionVersion)
            .Set(MongoSchema.IdentityFields.Revision, new BsonInt64(identity.Revision));

        // Absent, not null, when unset: the due-work indexes hold only documents that have the field.
        update = identity.DeletesAt is { } deletesAt
            ? update.Set(MongoSchema.IdentityFields.DeletesAt, ToBson(deletesAt))
            : update.Unset(MongoSchema.IdentityFields.DeletesAt);
        return identity.AutoRotatePeriod is { } period
            ? update.Set(MongoSchema.IdentityFields.AutoRotateSeconds, new BsonInt64((long)period.TotalSeconds))
                .Set(MongoSchema.IdentityFields.NextRotationAt, ToBson(identity.NextRotationAt!.Value))
            : update.Unset(MongoSchema.IdentityFields.AutoRotateSeconds).Unset(MongoSchema.IdentityFields.NextRotationAt);
    }

    /// <summary>One embedded key version.</summary>
    public static BsonDocument ToDocument(KeyVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var document = new BsonDocument
        {
            { MongoSchema.KeyVersionFields.Version, version.Version },
            { MongoSchema.KeyVersionFields.KeySize, version.Size.Bits },
            { MongoSchema.KeyVersionFields.PublicKey, Binary(version.PublicKey) },
            { MongoSchema.KeyVersionFields.SealedPrivateKey, Binary(version.SealedPrivateKey.ToArray()) },
            { MongoSchema.KeyVersionFields.CreatedAt, ToBson(version.CreatedAt) },
        };
        if (version.SealedPrivateKey.SealedBy is { } sealedBy)
        {
            document.Add(MongoSchema.KeyVersionFields.SealedBy, sealedBy);
        }

        if (version.SigningKey is { } signingKey)
        {
            document.Add(MongoSchema.KeyVersionFields.SigningPublicKey, Binary(signingKey.PublicKey));
            document.Add(MongoSchema.KeyVersionFields.SealedSigningKey, Binary(signingKey.SealedPrivateKey.ToArray()));
            if (signingKey.SealedPrivateKey.SealedBy is { } signingSealedBy)
            {
                document.Add(MongoSchema.KeyVersionFields.SigningSealedBy, signingSealedBy);
            }
        }

        return document;
    }

    /// <summary>
    /// The update that gives the stored versions of <paramref name="versions"/> (which had none)
    /// their signing keys, by array position: versions are stored in order, 1 at index 0.
    /// </summary>
    public static UpdateDefinition<BsonDocument> SetSigningKeys(UpdateDefinition<BsonDocument> update, IEnumerable<KeyVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(versions);
        foreach (var version in versions)
        {
            var at = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{MongoSchema.IdentityFields.Keys}.{version.Version - 1}.");
            update = update
                .Set(at + MongoSchema.KeyVersionFields.SigningPublicKey, Binary(version.SigningKey!.PublicKey))
                .Set(at + MongoSchema.KeyVersionFields.SealedSigningKey, Binary(version.SigningKey.SealedPrivateKey.ToArray()))
                .Set(at + MongoSchema.KeyVersionFields.SigningSealedBy, OrNull(version.SigningKey.SealedPrivateKey.SealedBy));
        }

        return update;
    }

    /// <summary>
    /// The update that replaces the sealed keys of the stored <paramref name="versions"/> with the
    /// same keys sealed under another master key (a re-seal), by array position; a signing key is
    /// set only where <paramref name="withSigningKey"/> says the store holds one.
    /// </summary>
    public static UpdateDefinition<BsonDocument> SetResealedKeys(UpdateDefinition<BsonDocument> update, IEnumerable<KeyVersion> versions, Func<int, bool> withSigningKey)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(withSigningKey);
        foreach (var version in versions)
        {
            var at = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{MongoSchema.IdentityFields.Keys}.{version.Version - 1}.");
            update = update
                .Set(at + MongoSchema.KeyVersionFields.SealedPrivateKey, Binary(version.SealedPrivateKey.ToArray()))
                .Set(at + MongoSchema.KeyVersionFields.SealedBy, OrNull(version.SealedPrivateKey.SealedBy));
            if (version.SigningKey is { } signingKey && withSigningKey(version.Version))
            {
                update = update
                    .Set(at + MongoSchema.KeyVersionFields.SealedSigningKey, Binary(signingKey.SealedPrivateKey.ToArray()))
                    .Set(at + MongoSchema.KeyVersionFields.SigningSealedBy, OrNull(signingKey.SealedPrivateKey.SealedBy));
            }
        }

        return update;
    }

    private static BsonValue OrNull(string? value) => value is null ? BsonNull.Value : new BsonString(value);

    /// <summary>Restores an identity document.</summary>
    public static Identity ToIdentity(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var versions = document[MongoSchema.IdentityFields.Keys].AsBsonArray.Select(v => ToKeyVersion(v.AsBsonDocument));
        return Identity.Restore(
            ToGuid(document[MongoSchema.IdentityFields.Id]),
            EmailAddress.FromStore(document[MongoSchema.IdentityFields.EmailDisplay].AsString),
            new ApiKeyHash(document[MongoSchema.IdentityFields.ApiKeyHash].AsByteArray),
            document[MongoSchema.IdentityFields.Exportable].AsBoolean,
            ToTime(document[MongoSchema.IdentityFields.CreatedAt]),
            document[MongoSchema.IdentityFields.Revision].ToInt64(),
            new KeyRing(versions, document[MongoSchema.IdentityFields.MinDecryptionVersion].ToInt32()),
            Optional(document, MongoSchema.IdentityFields.DeletesAt) is { } deletesAt ? ToTime(deletesAt) : null,
            Optional(document, MongoSchema.IdentityFields.AutoRotateSeconds) is { } seconds ? TimeSpan.FromSeconds(seconds.ToInt64()) : null);
    }

    /// <summary>Restores one embedded key version (one of before schema 4 too: no signing key).</summary>
    public static KeyVersion ToKeyVersion(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new KeyVersion(
            document[MongoSchema.KeyVersionFields.Version].ToInt32(),
            KeySize.FromBits(document[MongoSchema.KeyVersionFields.KeySize].ToInt32()),
            document[MongoSchema.KeyVersionFields.PublicKey].AsByteArray,
            new SealedPrivateKey(document[MongoSchema.KeyVersionFields.SealedPrivateKey].AsByteArray, OptionalString(document, MongoSchema.KeyVersionFields.SealedBy)),
            ToTime(document[MongoSchema.KeyVersionFields.CreatedAt]),
            Optional(document, MongoSchema.KeyVersionFields.SigningPublicKey) is { } signingPublicKey
                ? new SigningKey(
                    signingPublicKey.AsByteArray,
                    new SealedPrivateKey(document[MongoSchema.KeyVersionFields.SealedSigningKey].AsByteArray, OptionalString(document, MongoSchema.KeyVersionFields.SigningSealedBy)))
                : null);
    }

    /// <summary>A string field that may be absent or null (schema 7's master-key ids on older versions).</summary>
    public static string? OptionalString(BsonDocument document, string name)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.TryGetValue(name, out var value) && value.IsString ? value.AsString : null;
    }

    /// <summary>An audit event document under the given <paramref name="id"/> (which orders the trail).</summary>
    public static BsonDocument ToDocument(AuditEvent auditEvent, ObjectId id)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var document = new BsonDocument
        {
            { MongoSchema.AuditFields.Id, id },
            { MongoSchema.AuditFields.IdentityId, ToBson(auditEvent.IdentityId) },
            { MongoSchema.AuditFields.OccurredAt, ToBson(auditEvent.OccurredAt) },
            { MongoSchema.AuditFields.Action, auditEvent.Action.ToString() },
            { MongoSchema.AuditFields.Outcome, auditEvent.Outcome.ToString() },
            { MongoSchema.AuditFields.Actor, auditEvent.Actor.ToString() },
            { MongoSchema.AuditFields.Kind, auditEvent.Kind.ToString() },
            { MongoSchema.AuditFields.Count, auditEvent.Count },
            { MongoSchema.AuditFields.LastOccurredAt, ToBson(auditEvent.LastOccurredAt) },
        };
        if (AuditAggregation.BucketOf(auditEvent) is { } bucket)
        {
            document.Add(MongoSchema.AuditFields.Bucket, bucket);
        }

        if (auditEvent.KeyVersion is { } keyVersion)
        {
            document.Add(MongoSchema.AuditFields.KeyVersion, keyVersion);
        }

        if (auditEvent.ClientAddress is { } clientAddress)
        {
            document.Add(MongoSchema.AuditFields.ClientAddress, clientAddress);
        }

        if (auditEvent.RequestId is { } requestId)
        {
            document.Add(MongoSchema.AuditFields.RequestId, requestId);
        }

        return document;
    }

    /// <summary>
    /// The update that counts the refusal <paramref name="document"/> (which has a bucket) into its
    /// bucket's document, or inserts it as that document: the fields of the first occurrence are
    /// set only on insert; the count adds up and the last occurrence only moves forward.
    /// The identity and bucket come from the upsert's filter.
    /// </summary>
    public static UpdateDefinition<BsonDocument> CountIntoBucket(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var onInsert = new BsonDocument(document.Where(e => e.Name is not (MongoSchema.AuditFields.IdentityId or MongoSchema.AuditFields.Bucket
            or MongoSchema.AuditFields.Count or MongoSchema.AuditFields.LastOccurredAt)));
        return new BsonDocumentUpdateDefinition<BsonDocument>(new BsonDocument
        {
            { "$setOnInsert", onInsert },
            { "$inc", new BsonDocument(MongoSchema.AuditFields.Count, document[MongoSchema.AuditFields.Count]) },
            { "$max", new BsonDocument(MongoSchema.AuditFields.LastOccurredAt, document[MongoSchema.AuditFields.LastOccurredAt]) },
        });
    }

    /// <summary>Restores an audit event document (one of the first release too: no count, no last occurrence).</summary>
    public static AuditEvent ToAuditEvent(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var occurredAt = ToTime(document[MongoSchema.AuditFields.OccurredAt]);
        return new AuditEvent(
            ToGuid(document[MongoSchema.AuditFields.IdentityId]),
            occurredAt,
            Enum.Parse<AuditAction>(document[MongoSchema.AuditFields.Action].AsString),
            Enum.Parse<AuditOutcome>(document[MongoSchema.AuditFields.Outcome].AsString),
            Enum.Parse<AuditActor>(document[MongoSchema.AuditFields.Actor].AsString),
            Optional(document, MongoSchema.AuditFields.KeyVersion)?.ToInt32(),
            Optional(document, MongoSchema.AuditFields.ClientAddress)?.AsString,
            Optional(document, MongoSchema.AuditFields.RequestId)?.AsString)
        {
            Count = Optional(document, MongoSchema.AuditFields.Count)?.ToInt32() ?? 1,
            LastOccurredAt = Optional(document, MongoSchema.AuditFields.LastOccurredAt) is { } last ? ToTime(last) : occurredAt,
        };
    }

    /// <summary>A Guid stored as binary subtype 4.</summary>
    public static Guid ToGuid(BsonValue value) => value.AsBsonBinaryData.ToGuid(GuidRepresentation.Standard);

    // BSON datetimes hold milliseconds since the epoch: the store time every adapter keeps.
    public static BsonDateTime ToBson(DateTimeOffset time) => new(StoreTime.ToUnixMilliseconds(time));

    private static DateTimeOffset ToTime(BsonValue value) => StoreTime.FromUnixMilliseconds(value.AsBsonDateTime.MillisecondsSinceEpoch);

    private static BsonBinaryData Binary(byte[] bytes) => new(bytes, BsonBinarySubType.Binary);

    private static BsonValue? Optional(BsonDocument document, string name) =>
        document.TryGetValue(name, out var value) && !value.IsBsonNull ? value : null;
}
