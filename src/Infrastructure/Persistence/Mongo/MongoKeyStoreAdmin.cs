using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.Startup;
using MongoDB.Bson;
using MongoDB.Driver;
using Fields = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.IdentityFields;
using KeyFields = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.KeyVersionFields;
using Metadata = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.MetadataFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// The MongoDB store's life outside requests: the server checked for transactions, the schema
/// brought up to date (<see cref="MongoMigrations"/>), the master-key check value, health. A
/// remote store may come up after the server, so start-up waits for it in the background.
/// </summary>
public sealed class MongoKeyStoreAdmin : IKeyStoreAdmin
{
    private readonly MongoStoreConnection _connection;

    internal MongoKeyStoreAdmin(MongoStoreConnection connection) => _connection = connection;

    /// <inheritdoc />
    public bool RetriesWhenUnavailable => true;

    /// <inheritdoc />
    /// <exception cref="StartupConfigurationException">The server is a standalone mongod, or the store was written by a newer schema.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async token =>
            {
                var hello = await _connection.Database.RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), ReadPreference.Primary, token).ConfigureAwait(false);
                if (!SupportsTransactions(hello))
                {
                    throw new StartupConfigurationException(
                        "KeyStore:Mongo:ConnectionString names a standalone mongod. The MongoDB key store needs multi-document transactions: " +
                        "use a replica set (a single node will do: start mongod with --replSet rs0 and run rs.initiate() once) or a sharded cluster.");
                }

                await MongoMigrations.MigrateAsync(_connection.Database, MongoMigrations.All, token).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<byte[]> EnsureMasterKeyCheckAsync(byte[] candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return _connection.RunAsync(
            async token =>
            {
                var filter = Builders<BsonDocument>.Filter.Eq(Metadata.Id, Metadata.MasterKeyCheck);
                try
                {
                    await _connection.Metadata.UpdateOneAsync(
                        filter,
                        Builders<BsonDocument>.Update.SetOnInsert(Metadata.Value, new BsonBinaryData(candidate, BsonBinarySubType.Binary)),
                        new UpdateOptions { IsUpsert = true },
                        token).ConfigureAwait(false);
                }
                catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
                {
                    // Two servers starting at once: the other's upsert inserted first, which is all we need.
                }

                var stored = await _connection.Metadata.Find(filter).FirstOrDefaultAsync(token).ConfigureAwait(false);
                return stored?[Metadata.Value].AsByteArray
                    ?? throw new StoreUnavailableException("The master-key check value was not readable after it was written.");
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> ReadMasterKeyCheckIdAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async token =>
            {
                var stored = await _connection.Metadata.Find(Builders<BsonDocument>.Filter.Eq(Metadata.Id, Metadata.MasterKeyCheckId)).FirstOrDefaultAsync(token).ConfigureAwait(false);
                return stored is not null && stored[Metadata.Value].IsString ? stored[Metadata.Value].AsString : null;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task AdoptMasterKeyAsync(string checkKeyId, byte[] currentCheckValue, string currentKeyId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkKeyId);
        ArgumentNullException.ThrowIfNull(currentCheckValue);
        ArgumentException.ThrowIfNullOrEmpty(currentKeyId);
        return _connection.InTransactionAsync(
            async (session, token) =>
            {
                var keys = Builders<BsonDocument>.Filter;
                var adopt = Builders<BsonDocument>.Update
                    .Set($"{Fields.Keys}.$[unsealed].{KeyFields.SealedBy}", checkKeyId)
                    .Set($"{Fields.Keys}.$[unsigned].{KeyFields.SigningSealedBy}", checkKeyId);
                var arrayFilters = new[]
                {
                    new BsonDocumentArrayFilterDefinition<BsonDocument>(new BsonDocument($"unsealed.{KeyFields.SealedBy}", new BsonDocument("$exists", false))),
                    new BsonDocumentArrayFilterDefinition<BsonDocument>(new BsonDocument
                    {
                        { $"unsigned.{KeyFields.SealedSigningKey}", new BsonDocument("$exists", true) },
                        { $"unsigned.{KeyFields.SigningSealedBy}", new BsonDocument("$exists", false) },
                    }),
                };
                var anyUnadopted = keys.Or(
                    keys.ElemMatch<BsonDocument>(Fields.Keys, new BsonDocument(KeyFields.SealedBy, new BsonDocument("$exists", false))),
                    keys.ElemMatch<BsonDocument>(Fields.Keys, new BsonDocument
                    {
                        { KeyFields.SealedSigningKey, new BsonDocument("$exists", true) },
                        { KeyFields.SigningSealedBy, new BsonDocument("$exists", false) },
                    }));
                await _connection.Identities.UpdateManyAsync(session, anyUnadopted, adopt, new UpdateOptions { ArrayFilters = arrayFilters }, token).ConfigureAwait(false);
                await _connection.Metadata.UpdateOneAsync(
                    session,
                    keys.Eq(Metadata.Id, Metadata.MasterKeyCheck),
                    Builders<BsonDocument>.Update.Set(Metadata.Value, new BsonBinaryData(currentCheckValue, BsonBinarySubType.Binary)),
                    new UpdateOptions { IsUpsert = true },
                    token).ConfigureAwait(false);
                await _connection.Metadata.UpdateOneAsync(
                    session,
                    keys.Eq(Metadata.Id, Metadata.MasterKeyCheckId),
                    Builders<BsonDocument>.Update.Set(Metadata.Value, currentKeyId),
                    new UpdateOptions { IsUpsert = true },
                    token).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SealedKeyCount>> CountSealedKeysAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async token =>
            {
                // Each version counts its encryption key, and its signing key where it has one.
                var pipeline = new[]
                {
                    new BsonDocument("$unwind", "$" + Fields.Keys),
                    new BsonDocument("$project", new BsonDocument("ids", new BsonDocument("$cond", new BsonArray
                    {
                        new BsonDocument("$ifNull", new BsonArray { "$" + Fields.Keys + "." + KeyFields.SealedSigningKey, false }),
                        new BsonArray { new BsonDocument("$ifNull", new BsonArray { "$" + Fields.Keys + "." + KeyFields.SealedBy, BsonNull.Value }), new BsonDocument("$ifNull", new BsonArray { "$" + Fields.Keys + "." + KeyFields.SigningSealedBy, BsonNull.Value }) },
                        new BsonArray { new BsonDocument("$ifNull", new BsonArray { "$" + Fields.Keys + "." + KeyFields.SealedBy, BsonNull.Value }) },
                    }))),
                    new BsonDocument("$unwind", "$ids"),
                    new BsonDocument("$group", new BsonDocument { { "_id", "$ids" }, { "n", new BsonDocument("$sum", 1) } }),
                    new BsonDocument("$sort", new BsonDocument("_id", 1)),
                };
                var groups = await (await _connection.Identities.AggregateAsync<BsonDocument>(pipeline, cancellationToken: token).ConfigureAwait(false))
                    .ToListAsync(token).ConfigureAwait(false);
                return (IReadOnlyList<SealedKeyCount>)groups
                    .Select(g => new SealedKeyCount(g["_id"].IsString ? g["_id"].AsString : null, g["n"].ToInt64()))
                    .ToArray();
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindSealedByOtherThanAsync(string masterKeyId, string? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(masterKeyId);
        return _connection.RunAsync(
            async token =>
            {
                var keys = Builders<BsonDocument>.Filter;
                var filter = keys.And(
                    keys.Gt(Fields.EmailNormalized, after ?? string.Empty),
                    keys.Or(
                        keys.ElemMatch<BsonDocument>(Fields.Keys, new BsonDocument(KeyFields.SealedBy, new BsonDocument("$ne", masterKeyId))),
                        keys.ElemMatch<BsonDocument>(Fields.Keys, new BsonDocument
                        {
                            { KeyFields.SealedSigningKey, new BsonDocument("$exists", true) },
                            { KeyFields.SigningSealedBy, new BsonDocument("$ne", masterKeyId) },
                        })));
                var found = await _connection.Identities.Find(filter)
                    .Sort(Builders<BsonDocument>.Sort.Ascending(Fields.EmailNormalized))
                    .Limit(limit)
                    .Project(Builders<BsonDocument>.Projection.Include(Fields.EmailNormalized))
                    .ToListAsync(token).ConfigureAwait(false);
                return (IReadOnlyList<string>)found.Select(d => d[Fields.EmailNormalized].AsString).ToArray();
            },
            cancellationToken);
    }

    /// <summary>The refusal of the backup route on a MongoDB store.</summary>
    public const string UseMongodump =
        "A MongoDB key store is backed up with mongodump and restored with mongorestore (see docs/mongodb.md); the backup route serves SQLite stores only.";

    /// <inheritdoc />
    public Task<Stream> OpenSnapshotAsync(CancellationToken cancellationToken) => throw new OperationNotSupportedException(UseMongodump);

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async token => await _connection.Database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), ReadPreference.Primary, token).ConfigureAwait(false),
            cancellationToken);

    private static bool SupportsTransactions(BsonDocument hello) =>
        hello.Contains("setName")                                                   // replica set member
        || (hello.TryGetValue("msg", out var msg) && msg == "isdbgrid")             // mongos
        || hello.Contains("serviceId");                                             // behind a load balancer (mongos)
}
