using MongoDB.Bson;
using MongoDB.Driver;
using Fields = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.LeaseFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// Leases in MongoDB: one document per name in <c>leases</c>. Taken and renewed by one upsert whose
/// filter matches only the caller's own or an expired lease; when another holder's lease still
/// runs, the filter matches nothing and the upsert's insert collides with the existing
/// <c>_id</c>: a duplicate key, which is the answer "not yours". A single-document write, atomic
/// on its own.
/// </summary>
internal sealed class MongoWorkLeases(MongoStoreConnection connection) : IWorkLeases
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    /// <inheritdoc />
    public Task<bool> TryAcquireAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var filter = Filter.And(
            Filter.Eq(Fields.Id, name),
            Filter.Or(Filter.Eq(Fields.Holder, holder), Filter.Lte(Fields.ExpiresAt, MongoDocuments.ToBson(now))));
        var update = Builders<BsonDocument>.Update
            .Set(Fields.Holder, holder)
            .Set(Fields.ExpiresAt, MongoDocuments.ToBson(now + duration));
        return connection.RunAsync(
            async token =>
            {
                try
                {
                    await connection.Leases.UpdateOneAsync(filter, update, new UpdateOptions { IsUpsert = true }, token).ConfigureAwait(false);
                    return true;
                }
                catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
                {
                    return false;
                }
                catch (MongoCommandException ex) when (ex.Code == 11000)
                {
                    return false;
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        connection.RunAsync(
            async token =>
            {
                await connection.Leases.DeleteOneAsync(Filter.And(Filter.Eq(Fields.Id, name), Filter.Eq(Fields.Holder, holder)), token).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);
}
