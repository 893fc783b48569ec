using MongoDB.Bson;
using MongoDB.Driver;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>One index the store needs: created at start, idempotently.</summary>
/// <param name="Collection">The collection it belongs to.</param>
/// <param name="Name">Its name; error translation recognises duplicate keys by it.</param>
/// <param name="Keys">The key pattern.</param>
/// <param name="Unique">Whether the index enforces uniqueness.</param>
/// <param name="PartialFilter">When set, only documents matching it are indexed (and so held unique).</param>
internal sealed record MongoIndex(string Collection, string Name, BsonDocument Keys, bool Unique, BsonDocument? PartialFilter = null)
{
    /// <summary>The driver's form of this index.</summary>
    public CreateIndexModel<BsonDocument> ToModel() =>
        new(
            new BsonDocumentIndexKeysDefinition<BsonDocument>(Keys),
            new CreateIndexOptions<BsonDocument>
            {
                Name = Name,
                Unique = Unique,
                PartialFilterExpression = PartialFilter is null ? null : new BsonDocumentFilterDefinition<BsonDocument>(PartialFilter),
            });
}

/// <summary>
/// Collection names, field names and indexes of the MongoDB key store. One document per identity
/// in <see cref="Identities"/> with its key versions embedded; audit events in their own collection
/// so they outlive a deleted identity; one metadata collection for the master-key check value.
/// </summary>
internal static class MongoSchema
{
    public const string Identities = "identities";
    public const string AuditEvents = "audit_events";
    public const string Metadata = "metadata";
    public const string IdentityChanges = "identity_changes";
    public const string Leases = "leases";

    public const string EmailIndexName = "email_normalized_unique";
    public const string ApiKeyHashIndexName = "api_key_hash_unique";
    public const string AuditIndexName = "identity_id_newest_first";
    public const string AuditKindIndexName = "identity_id_kind_newest_first";
    public const string AuditBucketIndexName = "identity_id_bucket_unique";
    public const string DeletesAtIndexName = "deletes_at_due";
    public const string NextRotationAtIndexName = "next_rotation_at_due";

    /// <summary>Field names of an identity document.</summary>
    public static class IdentityFields
    {
        public const string Id = "_id";
        public const string EmailNormalized = "emailNormalized";
        public const string EmailDisplay = "emailDisplay";
        public const string ApiKeyHash = "apiKeyHash";
        public const string Exportable = "exportable";
        public const string MinDecryptionVersion = "minDecryptionVersion";
        public const string CreatedAt = "createdAt";
        public const string Revision = "revision";
        public const string Keys = "keys";

        /// <summary>Lifecycle schema: when a pending deletion is due; absent when none is.</summary>
        public const string DeletesAt = "deletesAt";

        /// <summary>Lifecycle schema: the automatic rotation period in seconds; absent when off.</summary>
        public const string AutoRotateSeconds = "autoRotateSeconds";

        /// <summary>Lifecycle schema: the latest version's creation plus the period, kept for the due-rotation query; absent when off.</summary>
        public const string NextRotationAt = "nextRotationAt";
    }

    /// <summary>Field names of a lease; <c>_id</c> is its name.</summary>
    public static class LeaseFields
    {
        public const string Id = "_id";
        public const string Holder = "holder";
        public const string ExpiresAt = "expiresAt";
    }

    /// <summary>Field names of a key version, embedded in <see cref="IdentityFields.Keys"/>.</summary>
    public static class KeyVersionFields
    {
        public const string Version = "version";
        public const string KeySize = "keySize";
        public const string PublicKey = "publicKey";
        public const string SealedPrivateKey = "sealedPrivateKey";
        public const string CreatedAt = "createdAt";

        /// <summary>Schema 4: the signing key's SPKI; absent on versions from before, until their first sign.</summary>
        public const string SigningPublicKey = "signingPublicKey";

        /// <summary>Schema 4: the signing key, sealed for signing; present exactly when <see cref="SigningPublicKey"/> is.</summary>
        public const string SealedSigningKey = "sealedSigningKey";

        /// <summary>Schema 7: the id of the master key that sealed <see cref="SealedPrivateKey"/>; absent on versions from before until the store adopts them.</summary>
        public const string SealedBy = "sealedBy";

        /// <summary>Schema 7: the id of the master key that sealed <see cref="SealedSigningKey"/>.</summary>
        public const string SigningSealedBy = "signingSealedBy";
    }

    /// <summary>Field names of an audit event; <c>_id</c> is an ObjectId and orders the trail.</summary>
    public static class AuditFields
    {
        public const string Id = "_id";
        public const string IdentityId = "identityId";
        public const string OccurredAt = "occurredAt";
        public const string Action = "action";
        public const string Outcome = "outcome";
        public const string Actor = "actor";
        public const string KeyVersion = "keyVersion";
        public const string ClientAddress = "clientAddress";
        public const string RequestId = "requestId";
        public const string Kind = "kind";
        public const string Count = "count";
        public const string LastOccurredAt = "lastOccurredAt";
        public const string Bucket = "bucket";
    }

    /// <summary>Field names of a metadata document.</summary>
    public static class MetadataFields
    {
        public const string Id = "_id";
        public const string Value = "value";
        public const string MasterKeyCheck = StoreMetadata.MasterKeyCheck;
        public const string MasterKeyCheckId = StoreMetadata.MasterKeyCheckId;
        public const string SchemaVersion = "schema_version";

        /// <summary>The number of the newest identity change (<see cref="MongoIdentityChanges"/>).</summary>
        public const string IdentityChangeCounter = "identity_changes_seq";
    }

    /// <summary>Field names of an identity change; <c>_id</c> is its number.</summary>
    public static class IdentityChangeFields
    {
        public const string Id = "_id";
        public const string IdentityId = "identityId";
        public const string ChangedAt = "changedAt";
    }

    /// <summary>
    /// The unique index on the normalized email decides registration races (and makes a retried
    /// registration a 409, never a second identity); the unique API key hash index finds a
    /// credential's owner; the audit index serves one identity's trail newest first.
    /// </summary>
    public static IReadOnlyList<MongoIndex> FirstReleaseIndexes { get; } =
    [
        new(Identities, EmailIndexName, new BsonDocument(IdentityFields.EmailNormalized, 1), Unique: true),
        new(Identities, ApiKeyHashIndexName, new BsonDocument(IdentityFields.ApiKeyHash, 1), Unique: true),
        new(AuditEvents, AuditIndexName, new BsonDocument { { AuditFields.IdentityId, 1 }, { AuditFields.Id, -1 } }, Unique: false),
    ];

    /// <summary>
    /// Schema version 2: one identity's trail of one kind, newest first (<c>?kind=</c>); and one
    /// document per refusal bucket, the unique key the counting upsert relies on (only documents
    /// with a bucket are indexed, so ordinary events never collide).
    /// </summary>
    public static IReadOnlyList<MongoIndex> AuditAggregationIndexes { get; } =
    [
        new(AuditEvents, AuditKindIndexName, new BsonDocument { { AuditFields.IdentityId, 1 }, { AuditFields.Kind, 1 }, { AuditFields.Id, -1 } }, Unique: false),
        new(AuditEvents, AuditBucketIndexName, new BsonDocument { { AuditFields.IdentityId, 1 }, { AuditFields.Bucket, 1 } }, Unique: true,
            PartialFilter: new BsonDocument(AuditFields.Bucket, new BsonDocument("$exists", true))),
    ];

    /// <summary>
    /// Lifecycle schema: the due-work queries' range reads, over only the identities with a pending
    /// deletion or with automatic rotation on (partial indexes: the rest are not in them at all).
    /// </summary>
    public static IReadOnlyList<MongoIndex> LifecycleIndexes { get; } =
    [
        new(Identities, DeletesAtIndexName, new BsonDocument(IdentityFields.DeletesAt, 1), Unique: false,
            PartialFilter: new BsonDocument(IdentityFields.DeletesAt, new BsonDocument("$exists", true))),
        new(Identities, NextRotationAtIndexName, new BsonDocument(IdentityFields.NextRotationAt, 1), Unique: false,
            PartialFilter: new BsonDocument(IdentityFields.NextRotationAt, new BsonDocument("$exists", true))),
    ];

    /// <summary>Every index of the current schema.</summary>
    public static IReadOnlyList<MongoIndex> Indexes { get; } = [.. FirstReleaseIndexes, .. AuditAggregationIndexes, .. LifecycleIndexes];
}
