using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using MongoDB.Bson;
using MongoDB.Driver;
using Audit = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.AuditFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>The audit trail in MongoDB: one document per event, one counted document per refusal bucket.</summary>
public sealed partial class MongoKeyStore
{
    /// <inheritdoc />
    public Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return RunAsync(
            async token =>
            {
                await WriteAuditAsync(null, auditEvent, token).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<AuditPage> ReadAsync(Guid identityId, AuditKind? kind, AuditPosition? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var filter = Filter.Eq(Audit.IdentityId, MongoDocuments.ToBson(identityId));
        if (kind is not null)
        {
            filter &= Filter.Eq(Audit.Kind, kind.Value.ToString());
        }

        if (after is not null)
        {
            // The position is the ObjectId of the last event of the previous page; ObjectIds grow with
            // time (seconds, then a per-process counter), so "older" is "smaller".
            filter &= after.Bytes.Length == 12
                ? Filter.Lt(Audit.Id, new ObjectId(after.Bytes.ToArray()))
                : throw new ArgumentException("Not a position this store made.", nameof(after));
        }

        return RunAsync(
            async token =>
            {
                var documents = await _auditEvents.Find(filter)
                    .Sort(Builders<BsonDocument>.Sort.Descending(Audit.Id))
                    .Limit(limit + 1)
                    .ToListAsync(token).ConfigureAwait(false);
                var more = documents.Count > limit;
                var page = documents.Take(limit).ToList();
                var events = page.Select(MongoDocuments.ToAuditEvent).ToList();
                return new AuditPage(events, more ? new AuditPosition(page[^1][Audit.Id].AsObjectId.ToByteArray()) : null);
            },
            cancellationToken);
    }

    /// <summary>
    /// Writes one audit event, inside <paramref name="session"/>'s transaction when there is one. A
    /// refusal with a bucket is an upsert on the unique bucket index that counts it in, so concurrent
    /// refusals from many nodes add up to one document; when two upserts race to insert the same
    /// bucket, the loser's duplicate-key error means the bucket now exists, and once more counts it in.
    /// </summary>
    private async Task WriteAuditAsync(IClientSessionHandle? session, AuditEvent auditEvent, CancellationToken token)
    {
        var document = MongoDocuments.ToDocument(auditEvent, ObjectId.GenerateNewId());
        if (!document.TryGetValue(Audit.Bucket, out var bucket))
        {
            await (session is null
                ? _auditEvents.InsertOneAsync(document, cancellationToken: token)
                : _auditEvents.InsertOneAsync(session, document, cancellationToken: token)).ConfigureAwait(false);
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
                    ? _auditEvents.UpdateOneAsync(filter, update, options, token)
                    : _auditEvents.UpdateOneAsync(session, filter, update, options, token)).ConfigureAwait(false);
                return;
            }
            catch (MongoWriteException ex) when (attempt == 1 && session is null && ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
            {
                // Lost the insert race for this bucket: the next attempt finds it and counts in.
            }
        }
    }
}
