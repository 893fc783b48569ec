using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Startup;
using MongoDB.Bson;
using MongoDB.Driver;
using Fields = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.IdentityFields;
using Metadata = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.MetadataFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// The key store for deployments that outgrow one machine: a MongoDB replica set or sharded
/// cluster (a standalone mongod is refused at start, having no multi-document transactions).
/// One document per identity with its key versions embedded; every change and its audit events
/// commit in one transaction with write concern majority + journal; key rings are read at read
/// concern majority from the primary; an identity's <c>revision</c> field gives optimistic
/// concurrency. See ADR-005.
/// </summary>
public sealed partial class MongoKeyStore : IKeyStore, IAuditTrail, IKeyStoreAdmin, IDisposable
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly UpdateDefinitionBuilder<BsonDocument> Update = Builders<BsonDocument>.Update;

    private readonly MongoStoreSettings _settings;
    private readonly MongoClient _client;
    private readonly IMongoDatabase _database;
    private readonly IMongoCollection<BsonDocument> _identities;
    private readonly IMongoCollection<BsonDocument> _auditEvents;
    private readonly IMongoCollection<BsonDocument> _metadata;

    /// <summary>Creates a store on the configured server and database; connects lazily.</summary>
    /// <exception cref="StartupConfigurationException">A setting is missing or invalid.</exception>
    public MongoKeyStore(MongoStoreOptions options)
    {
        _settings = MongoStoreSettings.Create(options);
        _client = new MongoClient(_settings.Client);
        _database = _client.GetDatabase(_settings.Database);
        _identities = _database.GetCollection<BsonDocument>(MongoSchema.Identities);
        _auditEvents = _database.GetCollection<BsonDocument>(MongoSchema.AuditEvents);
        _metadata = _database.GetCollection<BsonDocument>(MongoSchema.Metadata);
    }

    /// <summary>The database holding the store's collections.</summary>
    public string DatabaseName => _settings.Database;

    /// <inheritdoc />
    public bool RetriesWhenUnavailable => true;

    /// <inheritdoc />
    /// <exception cref="StartupConfigurationException">The server is a standalone mongod.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        RunAsync(
            async token =>
            {
                var hello = await _database.RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), ReadPreference.Primary, token).ConfigureAwait(false);
                if (!SupportsTransactions(hello))
                {
                    throw new StartupConfigurationException(
                        "KeyStore:Mongo:ConnectionString names a standalone mongod. The MongoDB key store needs multi-document transactions: " +
                        "use a replica set (a single node will do: start mongod with --replSet rs0 and run rs.initiate() once) or a sharded cluster.");
                }

                await MongoMigrations.MigrateAsync(_database, MongoMigrations.All, token).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<byte[]> EnsureMasterKeyCheckAsync(byte[] candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return RunAsync(
            async token =>
            {
                var filter = Filter.Eq(Metadata.Id, Metadata.MasterKeyCheck);
                try
                {
                    await _metadata.UpdateOneAsync(
                        filter,
                        Update.SetOnInsert(Metadata.Value, new BsonBinaryData(candidate, BsonBinarySubType.Binary)),
                        new UpdateOptions { IsUpsert = true },
                        token).ConfigureAwait(false);
                }
                catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
                {
                    // Two servers starting at once: the other's upsert inserted first, which is all we need.
                }

                var stored = await _metadata.Find(filter).FirstOrDefaultAsync(token).ConfigureAwait(false);
                return stored?[Metadata.Value].AsByteArray
                    ?? throw new StoreUnavailableException("The master-key check value was not readable after it was written.");
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) =>
        RunAsync(
            async token => await _database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), ReadPreference.Primary, token).ConfigureAwait(false),
            cancellationToken);

    /// <inheritdoc />
    public Task<Identity?> FindAsync(EmailAddress email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        return RunAsync(
            async token =>
            {
                // One document holds the identity and its whole ring: one read, one consistent state.
                var document = await _identities.Find(Filter.Eq(Fields.EmailNormalized, email.Normalized)).FirstOrDefaultAsync(token).ConfigureAwait(false);
                return document is null ? null : MongoDocuments.ToIdentity(document);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(EmailAddress email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        return RunAsync(
            token => _identities.Find(Filter.Eq(Fields.EmailNormalized, email.Normalized))
                .Project(Builders<BsonDocument>.Projection.Include(Fields.Id))
                .Limit(1)
                .AnyAsync(token),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<CredentialOwner?> FindCredentialOwnerAsync(ApiKeyHash apiKeyHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apiKeyHash);
        return RunAsync(
            async token =>
            {
                var document = await _identities.Find(Filter.Eq(Fields.ApiKeyHash, new BsonBinaryData(apiKeyHash.ToArray(), BsonBinarySubType.Binary)))
                    .Project(Builders<BsonDocument>.Projection.Include(Fields.Id).Include(Fields.EmailNormalized))
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
        return InTransactionAsync(
            async (session, token) =>
            {
                // A taken address fails on the unique email index (translated to IdentityAlreadyExists);
                // the aborted transaction takes the audit events with it.
                await _identities.InsertOneAsync(session, document, cancellationToken: token).ConfigureAwait(false);
                foreach (var auditEvent in auditEvents)
                {
                    await WriteAuditAsync(session, auditEvent, token).ConfigureAwait(false);
                }

                return 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task AddKeyVersionAsync(Guid identityId, long expectedRevision, KeyVersion version, AuditEvent rotated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(rotated);
        ArgumentOutOfRangeException.ThrowIfLessThan(version.Version, 1);

        // The ring must still hold exactly version - 1 entries: the pushed number is always the next one.
        var filter = Filter.And(
            Filter.Eq(Fields.Id, MongoDocuments.ToBson(identityId)),
            Filter.Eq(Fields.Revision, expectedRevision),
            Filter.Size(Fields.Keys, version.Version - 1));
        var update = Update
            .Push(Fields.Keys, MongoDocuments.ToDocument(version))
            .Inc(Fields.Revision, 1L);
        return ChangeAsync(identityId, filter, update, rotated, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetMinDecryptionVersionAsync(Guid identityId, long expectedRevision, int minDecryptionVersion, AuditEvent configured, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var filter = Filter.And(
            Filter.Eq(Fields.Id, MongoDocuments.ToBson(identityId)),
            Filter.Eq(Fields.Revision, expectedRevision));
        var update = Update
            .Set(Fields.MinDecryptionVersion, minDecryptionVersion)
            .Inc(Fields.Revision, 1L);
        return ChangeAsync(identityId, filter, update, configured, cancellationToken);
    }

    /// <summary>
    /// Removes the identity's document, and with it every sealed key, and appends
    /// <paramref name="deleted"/> in the same transaction; false when it did not exist. Unlike
    /// SQLite's, MongoDB's files are not scrubbed: copies of the sealed (still encrypted) bytes stay
    /// in the oplog and in free storage until they are overwritten (ADR-005).
    /// </summary>
    public Task<bool> DeleteAsync(Guid identityId, AuditEvent deleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deleted);
        return InTransactionAsync(
            async (session, token) =>
            {
                // The document carries every sealed key, so removing it removes them all at once.
                var result = await _identities.DeleteOneAsync(session, Filter.Eq(Fields.Id, MongoDocuments.ToBson(identityId)), cancellationToken: token).ConfigureAwait(false);
                if (result.DeletedCount == 0)
                {
                    return false;
                }

                await WriteAuditAsync(session, deleted, token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private static bool SupportsTransactions(BsonDocument hello) =>
        hello.Contains("setName")                                                   // replica set member
        || (hello.TryGetValue("msg", out var msg) && msg == "isdbgrid")             // mongos
        || hello.Contains("serviceId");                                             // behind a load balancer (mongos)

    /// <summary>
    /// Applies <paramref name="update"/> to the identity matched by <paramref name="filter"/> (id,
    /// expected revision and any further guard) and appends <paramref name="auditEvent"/>, in one
    /// transaction. No match means a lost race or a deleted identity; an existence check inside
    /// the same transaction tells which.
    /// </summary>
    private Task<int> ChangeAsync(Guid identityId, FilterDefinition<BsonDocument> filter, UpdateDefinition<BsonDocument> update, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        return InTransactionAsync(
            async (session, token) =>
            {
                var result = await _identities.UpdateOneAsync(session, filter, update, cancellationToken: token).ConfigureAwait(false);
                if (result.MatchedCount == 0)
                {
                    var exists = await _identities.Find(session, Filter.Eq(Fields.Id, MongoDocuments.ToBson(identityId)))
                        .Project(Builders<BsonDocument>.Projection.Include(Fields.Id))
                        .Limit(1)
                        .AnyAsync(token).ConfigureAwait(false);
                    throw exists ? new ConcurrencyConflictException() : new IdentityNotFoundException();
                }

                await WriteAuditAsync(session, auditEvent, token).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction (snapshot reads, majority + journal commit).
    /// The driver retries transient transaction errors and unknown commit results; the store's
    /// deadline bounds those retries. An exception thrown by <paramref name="work"/> aborts it.
    /// </summary>
    private Task<T> InTransactionAsync<T>(Func<IClientSessionHandle, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(
            async token =>
            {
                using var session = await _client.StartSessionAsync(cancellationToken: token).ConfigureAwait(false);
                return await session.WithTransactionAsync(work, _settings.Transactions, token).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>
    /// Runs one store operation within the store's deadline and translates the driver's failures
    /// (<see cref="MongoErrors"/>). The caller's own cancellation passes through as such.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_settings.OperationDeadline);
        try
        {
            return await work(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw MongoErrors.DeadlineExceeded(_settings.OperationDeadline, ex);
        }
        catch (Exception ex) when (MongoErrors.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }
}
