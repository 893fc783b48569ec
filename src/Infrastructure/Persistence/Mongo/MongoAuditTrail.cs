using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using MongoDB.Bson;
using MongoDB.Driver;
using Audit = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.AuditFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// The audit trail in MongoDB: one document per event, one counted document per refusal bucket,
/// in a collection of its own so events outlive a deleted identity. Appends are written in groups
/// (<see cref="AuditGroupCommitter"/>): one ordered bulk write, with the store's write concern
/// (majority, journaled), for all the appends that arrive while the previous group is written.
/// Events that record a change are written by <see cref="MongoKeyStore"/> in the change's own
/// transaction, through <see cref="WriteAsync"/>.
/// </summary>
public sealed class MongoAuditTrail : IAuditTrail, IAsyncDisposable, IDisposable
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    // Ordered: the events of a group land in arrival order, and after a failed write the rest of
    // the group is known not to be written (it is retried or failed as a whole).
    private static readonly BulkWriteOptions InOrder = new() { IsOrdered = true };

    private readonly MongoStoreConnection _connection;
    private readonly AuditGroupCommitter _groups;

    internal MongoAuditTrail(MongoStoreConnection connection)
    {
        _connection = connection;
        _groups = new AuditGroupCommitter(WriteGroupAsync);
    }

    /// <inheritdoc />
    public Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => _groups.AppendAsync(auditEvent, cancellationToken);

    /// <summary>Writes the appends still queued, then takes no more.</summary>
    public ValueTask DisposeAsync() => _groups.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _groups.Dispose();

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

        var filter = BucketFilter(document, bucket);
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

    /// <summary>
    /// One group as one ordered bulk write: plain inserts, and the refusals' counting upserts, so two
    /// refusals of one bucket in a group count as two. An upsert that lost the insert race for its
    /// bucket to another node stops the ordered write at that upsert with a duplicate key; the write
    /// resumes from it (which now finds the bucket and counts in). Any other failure fails the group.
    /// </summary>
    private Task<int> WriteGroupAsync(IReadOnlyList<AuditEvent> events) =>
        _connection.RunAsync(
            async token =>
            {
                var writes = events.Select(ToWrite).ToList();
                var from = 0;
                var lostRaceAt = -1;
                while (from < writes.Count)
                {
                    try
                    {
                        await _connection.AuditEvents.BulkWriteAsync(from == 0 ? writes : writes.Skip(from), InOrder, token).ConfigureAwait(false);
                        return 0;
                    }
                    catch (MongoBulkWriteException<BsonDocument> ex) when (LostBucketRace(ex, writes, from) is { } at && at != lostRaceAt)
                    {
                        // The writes before it are done (ordered), with the write concern checked.
                        lostRaceAt = at;
                        from = at;
                    }
                }

                return 0;
            },
            CancellationToken.None);

    private static WriteModel<BsonDocument> ToWrite(AuditEvent auditEvent)
    {
        var document = MongoDocuments.ToDocument(auditEvent, ObjectId.GenerateNewId());
        return document.TryGetValue(Audit.Bucket, out var bucket)
            ? new UpdateOneModel<BsonDocument>(BucketFilter(document, bucket), MongoDocuments.CountIntoBucket(document)) { IsUpsert = true }
            : new InsertOneModel<BsonDocument>(document);
    }

    // Where (in the whole group) the only failure of the write is an upsert's duplicate key, when that is all that failed.
    private static int? LostBucketRace(MongoBulkWriteException<BsonDocument> exception, List<WriteModel<BsonDocument>> writes, int from)
    {
        if (exception.WriteConcernError is not null || exception.WriteErrors.Count != 1)
        {
            return null;
        }

        var error = exception.WriteErrors[0];
        var at = from + error.Index;
        return error.Category == ServerErrorCategory.DuplicateKey && at < writes.Count && writes[at] is UpdateOneModel<BsonDocument> ? at : null;
    }

    private static FilterDefinition<BsonDocument> BucketFilter(BsonDocument document, BsonValue bucket) =>
        Filter.And(Filter.Eq(Audit.IdentityId, document[Audit.IdentityId]), Filter.Eq(Audit.Bucket, bucket));
}
