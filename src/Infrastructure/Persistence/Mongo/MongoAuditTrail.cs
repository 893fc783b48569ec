using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using MongoDB.Bson;
using MongoDB.Driver;
using Audit = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.AuditFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// The audit trail in MongoDB: one document per event, one counted document per refusal bucket,
/// in a collection of its own so events outlive a deleted identity. Events that record a change
/// are written by <see cref="MongoKeyStore"/> in the change's own transaction, through <see cref="WriteAsync"/>.
/// </summary>
public sealed class MongoAuditTrail : IAuditTrail
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    private readonly MongoStoreConnection _connection;

    internal MongoAuditTrail(MongoStoreConnection connection) => _connection = connection;

    /// <inheritdoc />
    public Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return _connection.RunAsync(
            async token =>
            {
                await WriteAsync(_connection, null, auditEvent, token).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<AuditPage> ReadAsync(Guid identityId, AuditKind? kind, AuditPosition? after, int limit, CancellationToken cancellationToken)
    {
        var take = AuditPaging.RowsToRead(limit);
        var filter = Filter.Eq(Audit.IdentityId, MongoDocuments.ToBson(identityId));
        if (kind is not null)
        {
            filter &= Filter.Eq(Audit.Kind, kind.Value.ToString());
        }

        if (after is not null)
        {
            // The position is the ObjectId of the last event of the previous page; ObjectIds grow with
            // time (seconds, then a per-process counter), so "older" is "smaller".
            filter &= Filter.Lt(Audit.Id, new ObjectId(AuditPaging.BytesOf(after, 12)));
        }

        return _connection.RunAsync(
            async token =>
            {
                var documents = await _connection.AuditEvents.Find(filter)
                    .Sort(Builders<BsonDocument>.Sort.Descending(Audit.Id))
                    .Limit(take)
                    .ToListAsync(token).ConfigureAwait(false);
                return AuditPaging.Page(documents, limit, MongoDocuments.ToAuditEvent, d => new AuditPosition(d[Audit.Id].AsObjectId.ToByteArray()));
            },
            cancellationToken);
    }

    /// <summary>
    /// Writes one audit event, inside <paramref name="session"/>'s transaction when there is one. A
    /// refusal with a bucket is an upsert on the unique bucket index that counts it in, so concurrent
    /// refusals from many nodes add up to one document; when two upserts race to insert the same
    /// bucket, the loser's duplicate-key error means the bucket now exists, and once more counts it in.
    /// </summary>
    internal static async Task WriteAsync(MongoStoreConnection connection, IClientSessionHandle? session, AuditEvent auditEvent, CancellationToken token)
    {
        var auditEvents = connection.AuditEvents;
        var document = MongoDocuments.ToDocument(auditEvent, ObjectId.GenerateNewId());
        if (!document.TryGetValue(Audit.Bucket, out var bucket))
        {
            await (session is null
                ? auditEvents.InsertOneAsync(document, cancellationToken: token)
                : auditEvents.InsertOneAsync(session, document, cancellationToken: token)).ConfigureAwait(false);
            return;
        }

        var filter = Filter.And(Filter.Eq(Audit.IdentityId, document[Audit.IdentityId]), Filter.Eq(Audit.Bucket, bucket));
        var update = MongoDocuments.CountIntoBucket(document);
        var options = new UpdateOptions { IsUpsert = true };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await (session is null
                    ? auditEvents.UpdateOneAsync(filter, update, options, token)
                    : auditEvents.UpdateOneAsync(session, filter, update, options, token)).ConfigureAwait(false);
                return;
            }
            catch (MongoWriteException ex) when (attempt == 1 && session is null && ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
            {
                // Lost the insert race for this bucket: the next attempt finds it and counts in.
            }
        }
    }
}
