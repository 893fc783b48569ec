using MongoDB.Bson;
using MongoDB.Driver;
using Changes = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.IdentityChangeFields;
using Metadata = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.MetadataFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// The change feed in MongoDB (schema version 3): one document per change in
/// <c>identity_changes</c>, its <c>_id</c> the entry's number, taken from a counter document in
/// <c>metadata</c> that every change increments in its own transaction. Two changes therefore
/// always write the same document, so MongoDB orders them (the later one's write conflict is
/// retried by the driver after the first commits): numbers follow commit order, and an aborted
/// change's increment is aborted with it, leaving no gap. A reader at majority that sees entry n
/// sees every entry before it. The price is one serialization point for identity writes, which
/// are rare next to reads (each is a registration, rotation or deletion). Change streams would
/// avoid the counter but need a connection held open per node and resume tokens that expire with
/// the oplog; this keeps one query per interval and the same contract as SQLite.
/// </summary>
internal sealed class MongoIdentityChanges : IIdentityChangeFeed
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly FilterDefinition<BsonDocument> Counter = Filter.Eq(Metadata.Id, Metadata.IdentityChangeCounter);

    private readonly MongoStoreConnection _connection;

    public MongoIdentityChanges(MongoStoreConnection connection) => _connection = connection;

    /// <summary>Records that <paramref name="identityId"/> changed, inside the change's transaction.</summary>
    public static async Task RecordAsync(MongoStoreConnection connection, IClientSessionHandle session, Guid identityId, CancellationToken token)
    {
        var counter = await connection.Metadata.FindOneAndUpdateAsync(
            session,
            Counter,
            Builders<BsonDocument>.Update.Inc(Metadata.Value, 1L),
            new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After },
            token).ConfigureAwait(false);
        var entry = new BsonDocument
        {
            { Changes.Id, counter[Metadata.Value].ToInt64() },
            { Changes.IdentityId, MongoDocuments.ToBson(identityId) },
            { Changes.ChangedAt, DateTime.UtcNow },
        };
        await connection.IdentityChanges.InsertOneAsync(session, entry, cancellationToken: token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<long> LatestAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async token =>
            {
                var counter = await _connection.Metadata.Find(Counter).FirstOrDefaultAsync(token).ConfigureAwait(false);
                return counter?[Metadata.Value].ToInt64() ?? 0;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IdentityChangeBatch> ReadAfterAsync(long cursor, int limit, CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async token =>
            {
                var entries = await _connection.IdentityChanges.Find(Filter.Gt(Changes.Id, cursor))
                    .Sort(Builders<BsonDocument>.Sort.Ascending(Changes.Id)).Limit(limit).ToListAsync(token).ConfigureAwait(false);

                // Read after the entries: a prune in between can only make this a false alarm
                // (the cache is cleared for nothing), never hide a missed entry.
                var oldest = await _connection.IdentityChanges.Find(FilterDefinition<BsonDocument>.Empty)
                    .Sort(Builders<BsonDocument>.Sort.Ascending(Changes.Id)).Limit(1).FirstOrDefaultAsync(token).ConfigureAwait(false);
                var last = entries.Count == 0 ? cursor : entries[^1][Changes.Id].ToInt64();
                return new IdentityChangeBatch(
                    [.. entries.Select(e => MongoDocuments.ToGuid(e[Changes.IdentityId]))],
                    last,
                    Missed: oldest is not null && oldest[Changes.Id].ToInt64() > cursor + 1);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async token =>
            {
                var newest = await _connection.IdentityChanges.Find(FilterDefinition<BsonDocument>.Empty)
                    .Sort(Builders<BsonDocument>.Sort.Descending(Changes.Id)).Limit(1).FirstOrDefaultAsync(token).ConfigureAwait(false);
                var lastOld = await _connection.IdentityChanges.Find(Filter.Lt(Changes.ChangedAt, before.UtcDateTime))
                    .Sort(Builders<BsonDocument>.Sort.Descending(Changes.Id)).Limit(1).FirstOrDefaultAsync(token).ConfigureAwait(false);
                if (newest is null || lastOld is null)
                {
                    return 0;
                }

                // A prefix by number, keeping the newest, as in SQLite.
                var through = Math.Min(lastOld[Changes.Id].ToInt64(), newest[Changes.Id].ToInt64() - 1);
                var result = await _connection.IdentityChanges.DeleteManyAsync(Filter.Lte(Changes.Id, through), token).ConfigureAwait(false);
                return result.DeletedCount;
            },
            cancellationToken);
}
