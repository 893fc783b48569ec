using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using MongoDB.Bson;
using MongoDB.Driver;
using Fields = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.IdentityFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// Identities and their key rings in MongoDB: one document per identity with its key versions
/// embedded; every change and its audit events commit in one transaction with write concern
/// majority + journal; key rings are read at read concern majority from the primary; the
/// document's <c>revision</c> gives optimistic concurrency. See ADR-005.
/// </summary>
public sealed class MongoKeyStore : IKeyStore
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly ProjectionDefinitionBuilder<BsonDocument> Projection = Builders<BsonDocument>.Projection;

    private readonly MongoStoreConnection _connection;

    internal MongoKeyStore(MongoStoreConnection connection) => _connection = connection;

    /// <inheritdoc />
    public Task<Identity?> FindAsync(EmailAddress email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        return _connection.RunAsync(
            async token =>
            {
                // One document holds the identity and its whole ring: one read, one consistent state.
                var document = await _connection.Identities.Find(Filter.Eq(Fields.EmailNormalized, email.Normalized)).FirstOrDefaultAsync(token).ConfigureAwait(false);
                return document is null ? null : MongoDocuments.ToIdentity(document);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<CredentialOwner?> FindCredentialOwnerAsync(ApiKeyHash apiKeyHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apiKeyHash);
        return _connection.RunAsync(
            async token =>
            {
                var document = await _connection.Identities.Find(Filter.Eq(Fields.ApiKeyHash, new BsonBinaryData(apiKeyHash.ToArray(), BsonBinarySubType.Binary)))
                    .Project(Projection.Include(Fields.Id).Include(Fields.EmailNormalized))
                    .FirstOrDefaultAsync(token).ConfigureAwait(false);
                return document is null
                    ? null
                    : new CredentialOwner(MongoDocuments.ToGuid(document[Fields.Id]), document[Fields.EmailNormalized].AsString);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task CreateAsync(Identity identity, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(auditEvents);
        var document = MongoDocuments.ToDocument(identity);
        return _connection.InTransactionAsync(
            async (session, token) =>
            {
                // A taken address fails on the unique email index (translated to IdentityAlreadyExists);
                // the aborted transaction takes the audit events with it.
                await _connection.Identities.InsertOneAsync(session, document, cancellationToken: token).ConfigureAwait(false);
                await WriteAuditAsync(session, auditEvents, token).ConfigureAwait(false);
                await MongoIdentityChanges.RecordAsync(_connection, session, identity.Id, token).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveAsync(Identity nextState, long expectedRevision, IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        SaveRules.CheckArguments(nextState, expectedRevision, auditEvents);
        var id = Filter.Eq(Fields.Id, MongoDocuments.ToBson(nextState.Id));
        return _connection.InTransactionAsync(
            async (session, token) =>
            {
                // The revision and the ring's length, read in the transaction's snapshot. A
                // transaction that commits a change of this document after the snapshot makes the
                // update below a write conflict, which the driver retries from here, where the
                // moved-on revision is then seen and refused.
                var stored = await _connection.Identities.Find(session, id)
                    .Project(Projection.Include(Fields.Revision).Include(Fields.Keys + "." + MongoSchema.KeyVersionFields.Version)
                        .Include(Fields.Keys + "." + MongoSchema.KeyVersionFields.SigningPublicKey)
                        .Include(Fields.Keys + "." + MongoSchema.KeyVersionFields.SealedBy)
                        .Include(Fields.Keys + "." + MongoSchema.KeyVersionFields.SigningSealedBy))
                    .FirstOrDefaultAsync(token).ConfigureAwait(false);
                var state = stored is null ? (StoredIdentityState?)null : StoredState(stored);
                var newVersions = SaveRules.VersionsToAppend(state, nextState, expectedRevision);

                // A save gives old versions signing keys or appends versions, never both: one
                // update may not set "keys.N.…" and push to "keys" at once (a path conflict).
                var signingKeys = SaveRules.SigningKeysToAdd(state!.Value, nextState);
                var resealed = SaveRules.ResealedVersions(state.Value, nextState);
                if ((signingKeys.Count > 0 || resealed.Count > 0) && newVersions.Count > 0)
                {
                    throw new ArgumentException("A save either appends key versions or changes stored ones, not both.", nameof(nextState));
                }

                var update = MongoDocuments.SetSigningKeys(MongoDocuments.SetIdentityFields(nextState), signingKeys);
                var gainsSigningKey = signingKeys.Select(v => v.Version).ToHashSet();
                var holdsSigningKey = state.Value.VersionsWithoutSigningKey ?? [];
                update = MongoDocuments.SetResealedKeys(update, resealed, v => !gainsSigningKey.Contains(v) && !holdsSigningKey.Contains(v));
                if (newVersions.Count > 0)
                {
                    update = update.PushEach(Fields.Keys, newVersions.Select(MongoDocuments.ToDocument));
                }

                var guarded = Filter.And(id, Filter.Eq(Fields.Revision, expectedRevision), Filter.Size(Fields.Keys, state.Value.KeyVersionCount));
                var result = await _connection.Identities.UpdateOneAsync(session, guarded, update, cancellationToken: token).ConfigureAwait(false);
                if (result.MatchedCount == 0)
                {
                    // Not reachable inside the snapshot; should it ever be, it is a lost race all the same.
                    throw new ConcurrencyConflictException();
                }

                await WriteAuditAsync(session, auditEvents, token).ConfigureAwait(false);
                await MongoIdentityChanges.RecordAsync(_connection, session, nextState.Id, token).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);
    }

    /// <summary>
    /// Removes the identity's document, and with it every sealed key, and appends
    /// <paramref name="deleted"/> in the same transaction; false when it did not exist. Unlike
    /// SQLite's, MongoDB's files are not scrubbed: copies of the sealed (still encrypted) bytes stay
    /// in the oplog and in free storage until they are overwritten (ADR-005).
    /// </summary>
    public Task<bool> DeleteAsync(Guid identityId, AuditEvent deleted, CancellationToken cancellationToken) =>
        DeleteAsync(identityId, null, deleted, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteIfUnchangedAsync(Guid identityId, long expectedRevision, AuditEvent deleted, CancellationToken cancellationToken) =>
        DeleteAsync(identityId, (long?)expectedRevision, deleted, cancellationToken);

    private Task<bool> DeleteAsync(Guid identityId, long? expectedRevision, AuditEvent deleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deleted);
        var filter = Filter.Eq(Fields.Id, MongoDocuments.ToBson(identityId));
        if (expectedRevision is { } revision)
        {
            filter = Filter.And(filter, Filter.Eq(Fields.Revision, revision));
        }

        return _connection.InTransactionAsync(
            async (session, token) =>
            {
                // The document carries every sealed key, so removing it removes them all at once.
                var result = await _connection.Identities.DeleteOneAsync(session, filter, cancellationToken: token).ConfigureAwait(false);
                if (result.DeletedCount == 0)
                {
                    return false;
                }

                await MongoAuditTrail.WriteAsync(_connection, session, deleted, token).ConfigureAwait(false);
                await MongoIdentityChanges.RecordAsync(_connection, session, identityId, token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    private static StoredIdentityState StoredState(BsonDocument stored)
    {
        var keys = stored[Fields.Keys].AsBsonArray.Select(k => k.AsBsonDocument).ToArray();
        var withoutSigningKey = keys
            .Where(k => !k.Contains(MongoSchema.KeyVersionFields.SigningPublicKey))
            .Select(k => k[MongoSchema.KeyVersionFields.Version].ToInt32())
            .ToArray();
        var sealedBy = keys.ToDictionary(
            k => k[MongoSchema.KeyVersionFields.Version].ToInt32(),
            k => new StoredSealers(
                MongoDocuments.OptionalString(k, MongoSchema.KeyVersionFields.SealedBy),
                k.Contains(MongoSchema.KeyVersionFields.SigningPublicKey) ? MongoDocuments.OptionalString(k, MongoSchema.KeyVersionFields.SigningSealedBy) : null));
        return new StoredIdentityState(stored[Fields.Revision].ToInt64(), keys.Length, withoutSigningKey, sealedBy);
    }

    private async Task WriteAuditAsync(IClientSessionHandle session, IReadOnlyList<AuditEvent> auditEvents, CancellationToken token)
    {
        foreach (var auditEvent in auditEvents)
        {
            await MongoAuditTrail.WriteAsync(_connection, session, auditEvent, token).ConfigureAwait(false);
        }
    }
}
