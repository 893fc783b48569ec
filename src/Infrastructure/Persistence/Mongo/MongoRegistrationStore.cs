using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;
using MongoDB.Bson;
using MongoDB.Driver;
using Fields = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.IdentityFields;
using Window = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.MailWindowFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// The per-address mail count (collection <c>mail_windows</c>, one document per address, counted by
/// single-document atomic updates) and the sweep's query, in MongoDB.
/// </summary>
internal sealed class MongoRegistrationStore : IRegistrationStore
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    private readonly MongoStoreConnection _connection;
    private readonly IMongoCollection<BsonDocument> _windows;

    public MongoRegistrationStore(MongoStoreConnection connection)
    {
        _connection = connection;
        _windows = connection.Database.GetCollection<BsonDocument>(MongoSchema.MailWindows);
    }

    /// <inheritdoc />
    public Task<TimeSpan?> TryCountMailAsync(EmailAddress address, DateTimeOffset now, int perHour, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(perHour, 1);
        return _connection.RunAsync<TimeSpan?>(
            async token =>
            {
                var nowMs = StoreTime.ToUnixMilliseconds(now);
                var closedBefore = nowMs - (long)MailWindow.Length.TotalMilliseconds;
                var id = Filter.Eq(Window.Id, address.Normalized);
                var roomLeft = Filter.And(id, Filter.Or(Filter.Lte(Window.WindowStart, closedBefore), Filter.Lt(Window.Sent, perHour)));
                var windowOver = new BsonDocument("$lte", new BsonArray { "$" + Window.WindowStart, closedBefore });
                var count = new BsonDocument("$set", new BsonDocument
                {
                    { Window.WindowStart, new BsonDocument("$cond", new BsonArray { windowOver, nowMs, "$" + Window.WindowStart }) },
                    { Window.Sent, new BsonDocument("$cond", new BsonArray { windowOver, 1, new BsonDocument("$add", new BsonArray { "$" + Window.Sent, 1 }) }) },
                });
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var updated = await _windows.UpdateOneAsync(roomLeft, new PipelineUpdateDefinition<BsonDocument>(new[] { count }), cancellationToken: token).ConfigureAwait(false);
                    if (updated.MatchedCount == 1)
                    {
                        return null;
                    }

                    var existing = await _windows.Find(id).FirstOrDefaultAsync(token).ConfigureAwait(false);
                    if (existing is not null)
                    {
                        var start = existing[Window.WindowStart].ToInt64();
                        if (start > closedBefore && existing[Window.Sent].ToInt64() >= perHour)
                        {
                            return TimeSpan.FromMilliseconds(start - closedBefore);
                        }

                        continue; // Changed in between: count again.
                    }

                    try
                    {
                        await _windows.InsertOneAsync(new BsonDocument { { Window.Id, address.Normalized }, { Window.WindowStart, nowMs }, { Window.Sent, 1L } }, cancellationToken: token).ConfigureAwait(false);
                        return null;
                    }
                    catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
                    {
                        // Another node opened the window first: count into it.
                    }
                }

                throw new InvalidOperationException("The mail count kept changing under concurrent updates.");
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Guid>> FindExpiredPendingAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        _connection.RunAsync<IReadOnlyList<Guid>>(
            async token =>
            {
                var expired = Filter.And(
                    Filter.Eq(Fields.Standing, nameof(AddressStanding.Pending)),
                    Filter.Lte(Fields.PendingUntil, new BsonDateTime(StoreTime.ToUnixMilliseconds(now))));
                var documents = await _connection.Identities.Find(expired)
                    .Project(Builders<BsonDocument>.Projection.Include(Fields.Id))
                    .Limit(limit)
                    .ToListAsync(token).ConfigureAwait(false);
                return documents.Select(d => MongoDocuments.ToGuid(d[Fields.Id])).ToArray();
            },
            cancellationToken);
}
