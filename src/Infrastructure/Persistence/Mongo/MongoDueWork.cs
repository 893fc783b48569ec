using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;
using MongoDB.Bson;
using MongoDB.Driver;
using Fields = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.IdentityFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>The due-work queries in MongoDB: range reads of the partial indexes on <c>deletesAt</c> and <c>nextRotationAt</c>.</summary>
internal sealed class MongoDueWork(MongoStoreConnection connection) : IDueWork
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    /// <inheritdoc />
    public Task<IReadOnlyList<EmailAddress>> FindDueDeletionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        FindAsync(Filter.Lte(Fields.DeletesAt, MongoDocuments.ToBson(now)), Fields.DeletesAt, limit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<EmailAddress>> FindDueRotationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        FindAsync(
            Filter.And(Filter.Lte(Fields.NextRotationAt, MongoDocuments.ToBson(now)), Filter.Exists(Fields.DeletesAt, exists: false)),
            Fields.NextRotationAt,
            limit,
            cancellationToken);

    private Task<IReadOnlyList<EmailAddress>> FindAsync(FilterDefinition<BsonDocument> filter, string orderBy, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return connection.RunAsync<IReadOnlyList<EmailAddress>>(
            async token =>
            {
                var documents = await connection.Identities.Find(filter)
                    .Sort(Builders<BsonDocument>.Sort.Ascending(orderBy))
                    .Limit(limit)
                    .Project(Builders<BsonDocument>.Projection.Include(Fields.EmailDisplay))
                    .ToListAsync(token).ConfigureAwait(false);
                return documents.Select(d => EmailAddress.FromStore(d[Fields.EmailDisplay].AsString)).ToArray();
            },
            cancellationToken);
    }
}
