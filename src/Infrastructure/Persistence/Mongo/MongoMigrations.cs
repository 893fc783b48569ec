using CryptoSecure.Infrastructure.Startup;
using MongoDB.Bson;
using MongoDB.Driver;
using Audit = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.AuditFields;
using Metadata = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.MetadataFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>One step of the MongoDB schema, and the version the store is at after it.</summary>
/// <param name="Version">The schema version after this step.</param>
/// <param name="Purpose">What it is for.</param>
/// <param name="ApplyAsync">The work; idempotent, since several nodes may start at once and a crash may repeat it.</param>
internal sealed record MongoMigration(int Version, string Purpose, Func<IMongoDatabase, CancellationToken, Task> ApplyAsync);

/// <summary>
/// The MongoDB counterpart of the SQLite migrations: the store's schema version is the
/// <c>value</c> of the metadata document <c>schema_version</c> (absent: 0, a new store or one
/// of the first release, which had no such document; the first step is idempotent for both).
/// Steps run in order at start-up, before the store answers; MongoDB has no transactional index
/// builds, so each step is idempotent instead, and the version only ever moves up (<c>$max</c>).
/// A store at a newer version than the code knows is refused before anything is written.
/// </summary>
internal static class MongoMigrations
{
    /// <summary>Every step, in order; versions run 1, 2, … with no gap (a test checks). Once released, never edit one.</summary>
    public static IReadOnlyList<MongoMigration> All { get; } =
    [
        new(1, "the first release's indexes (v0.1.0)", (database, token) => CreateIndexesAsync(database, MongoSchema.FirstReleaseIndexes, token)),
        new(2, "audit kinds, aggregated refusals", AuditKindsAndAggregationAsync),
        new(3, "the identity change feed that keeps several nodes' caches coherent", IdentityChangesAsync),

        // Documents gain the signing key fields when written (a rotation, or a first sign of an
        // older version); readers take their absence for "none yet". Nothing to rewrite, no index:
        // the step exists so the version says which code wrote the store, and older code refuses it.
        new(4, "signing keys beside the encryption keys of each key version", (_, _) => Task.CompletedTask),
        new(EmailOwnershipVersion, "email ownership: pending registrations, one-time codes, mails per address", EmailOwnershipAsync),

        // Identities gain deletesAt / autoRotateSeconds / nextRotationAt when a deletion is scheduled
        // or rotation configured; absent means none, so nothing stored is rewritten. The leases
        // collection is made on first use (an upsert outside any transaction).
        new(LifecycleVersion, "deletion with a waiting period, automatic rotation, and the leases of the background workers",
            (database, token) => CreateIndexesAsync(database, MongoSchema.LifecycleIndexes, token)),

        // Key versions gain "sealedBy" (and "signingSealedBy") when written; the ones already there
        // lack them, which means "the master key of the store's check value", until start-up has
        // proved which configured key that is and adopts them (MongoKeyStoreAdmin.AdoptMasterKeyAsync).
        // As in SQLite, the step cannot do that itself: it runs before the master key is known.
        new(MasterKeyIdsVersion, "the id of the master key that sealed each private key", (_, _) => Task.CompletedTask),
    ];

    /// <summary>The schema version of <see cref="EmailOwnershipAsync"/> (issue 13), kept in this one place for renumbering at merge.</summary>
    public const int EmailOwnershipVersion = 5;

    /// <summary>
    /// The number of the lifecycle step (issue 14), kept here alone: steps written in parallel are
    /// renumbered in order when they meet, and only this line changes then.
    /// </summary>
    public const int LifecycleVersion = 6;

    /// <summary>
    /// The schema version of the master-key ids. Numbered 7 on its branch while 5 and 6 are written
    /// beside it; renumbered here, and only here, when the branches meet.
    /// </summary>
    public const int MasterKeyIdsVersion = 7;

    /// <summary>The schema version this code writes (the last step's).</summary>
    public static int Version => All[^1].Version;

    /// <summary>
    /// The kind of an event already stored, by the rule of <c>AuditKinds.Of</c> as of version 2
    /// (frozen here: a later change of the rule is a new step, not an edit of this one).
    /// </summary>
    public static BsonDocument KindOfStoredEvent { get; } = new("$switch", new BsonDocument
    {
        {
            "branches", new BsonArray
            {
                new BsonDocument { { "case", new BsonDocument("$in", new BsonArray { "$" + Audit.Actor, new BsonArray { "Owner", "Admin" } }) }, { "then", "Owner" } },
                new BsonDocument { { "case", new BsonDocument("$eq", new BsonArray { "$" + Audit.Outcome, "Denied" }) }, { "then", "Denied" } },
                new BsonDocument { { "case", new BsonDocument("$eq", new BsonArray { "$" + Audit.Action, "Encrypted" }) }, { "then", "Public" } },
            }
        },
        { "default", "Owner" },
    });

    /// <summary>Runs the steps the store has not had.</summary>
    /// <exception cref="StartupConfigurationException">The store was written by a newer schema.</exception>
    public static async Task MigrateAsync(IMongoDatabase database, IReadOnlyList<MongoMigration> migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(migrations);
        var metadata = database.GetCollection<BsonDocument>(MongoSchema.Metadata);
        var filter = Builders<BsonDocument>.Filter.Eq(Metadata.Id, Metadata.SchemaVersion);
        var stored = await metadata.Find(filter).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var current = stored?[Metadata.Value].ToInt32() ?? 0;
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (current > latest)
        {
            throw new StartupConfigurationException(
                $"The MongoDB key store in database {database.DatabaseNamespace.DatabaseName} has schema version {current}, but this server knows versions " +
                $"up to {latest}: it was written by a newer CryptoSecure. Run that release (or newer) on it. The store was left unchanged.");
        }

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            await migration.ApplyAsync(database, cancellationToken).ConfigureAwait(false);
            await metadata.UpdateOneAsync(
                filter,
                Builders<BsonDocument>.Update.Max(Metadata.Value, migration.Version),
                new UpdateOptions { IsUpsert = true },
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Version 2: every stored event gets its kind and a count of 1, then the version 2 indexes.</summary>
    private static async Task AuditKindsAndAggregationAsync(IMongoDatabase database, CancellationToken cancellationToken)
    {
        var auditEvents = database.GetCollection<BsonDocument>(MongoSchema.AuditEvents);
        var withoutKind = Builders<BsonDocument>.Filter.Exists(Audit.Kind, exists: false);
        var setKind = new BsonDocument("$set", new BsonDocument { { Audit.Kind, KindOfStoredEvent }, { Audit.Count, 1 } });
        await auditEvents.UpdateManyAsync(withoutKind, new PipelineUpdateDefinition<BsonDocument>(new[] { setKind }), cancellationToken: cancellationToken).ConfigureAwait(false);
        await CreateIndexesAsync(database, MongoSchema.AuditAggregationIndexes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Version 3: the change feed's collection and counter, made before any change needs them
    /// (creating a collection inside a transaction that races another is a conflict). Both idempotent.
    /// </summary>
    private static async Task IdentityChangesAsync(IMongoDatabase database, CancellationToken cancellationToken)
    {
        var existing = await (await database.ListCollectionNamesAsync(
            new ListCollectionNamesOptions { Filter = new BsonDocument("name", MongoSchema.IdentityChanges) }, cancellationToken).ConfigureAwait(false))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            try
            {
                await database.CreateCollectionAsync(MongoSchema.IdentityChanges, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (MongoCommandException ex) when (ex.CodeName == "NamespaceExists")
            {
                // Another node made it first.
            }
        }

        await database.GetCollection<BsonDocument>(MongoSchema.Metadata).UpdateOneAsync(
            Builders<BsonDocument>.Filter.Eq(Metadata.Id, Metadata.IdentityChangeCounter),
            Builders<BsonDocument>.Update.SetOnInsert(Metadata.Value, 0L),
            new UpdateOptions { IsUpsert = true },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Version 5: every document already there holds its address (standing Legacy: usable, unverified),
    /// then the unique index moves to holders only, so pending registrations may share an address.
    /// Idempotent: the marking skips marked documents, the new index is made before the old one is
    /// dropped (no moment without uniqueness), and a missing old index is fine.
    /// </summary>
    private static async Task EmailOwnershipAsync(IMongoDatabase database, CancellationToken cancellationToken)
    {
        var identities = database.GetCollection<BsonDocument>(MongoSchema.Identities);
        await identities.UpdateManyAsync(
            Builders<BsonDocument>.Filter.Exists(MongoSchema.IdentityFields.Standing, exists: false),
            Builders<BsonDocument>.Update.Set(MongoSchema.IdentityFields.Standing, "Legacy").Set(MongoSchema.IdentityFields.HoldsAddress, true),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await CreateIndexesAsync(database, MongoSchema.EmailOwnershipIndexes, cancellationToken).ConfigureAwait(false);
        try
        {
            await identities.Indexes.DropOneAsync(MongoSchema.EmailIndexName, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (ex.CodeName is "IndexNotFound" or "NamespaceNotFound")
        {
            // Dropped by another node, or a new store.
        }
    }

    private static async Task CreateIndexesAsync(IMongoDatabase database, IReadOnlyList<MongoIndex> indexes, CancellationToken cancellationToken)
    {
        foreach (var collection in indexes.GroupBy(i => i.Collection))
        {
            await database.GetCollection<BsonDocument>(collection.Key).Indexes
                .CreateManyAsync(collection.Select(i => i.ToModel()), cancellationToken).ConfigureAwait(false);
        }
    }
}
