using MongoDB.Bson;
using MongoDB.Driver;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// How the MongoDB adapters talk to their database: one client with the durability settings of
/// <see cref="MongoStoreSettings"/>, the store's collections, every operation within the store's
/// deadline, and the driver's failures translated (<see cref="MongoErrors"/>).
/// </summary>
internal sealed class MongoStoreConnection : IDisposable
{
    private readonly MongoStoreSettings _settings;
    private readonly MongoClient _client;

    public MongoStoreConnection(MongoStoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _client = new MongoClient(settings.Client);
        Database = _client.GetDatabase(settings.Database);
        Identities = Database.GetCollection<BsonDocument>(MongoSchema.Identities);
        AuditEvents = Database.GetCollection<BsonDocument>(MongoSchema.AuditEvents);
        Metadata = Database.GetCollection<BsonDocument>(MongoSchema.Metadata);
        IdentityChanges = Database.GetCollection<BsonDocument>(MongoSchema.IdentityChanges);
    }

    /// <summary>The database holding the store's collections.</summary>
    public IMongoDatabase Database { get; }

    /// <summary>One document per identity, its key versions embedded.</summary>
    public IMongoCollection<BsonDocument> Identities { get; }

    /// <summary>One document per event (or refusal bucket).</summary>
    public IMongoCollection<BsonDocument> AuditEvents { get; }

    /// <summary>The master-key check value and the schema version.</summary>
    public IMongoCollection<BsonDocument> Metadata { get; }

    /// <summary>The change feed: one document per identity change, numbered (<see cref="MongoIdentityChanges"/>).</summary>
    public IMongoCollection<BsonDocument> IdentityChanges { get; }

    /// <summary>The background workers' leases.</summary>
    public IMongoCollection<BsonDocument> Leases => Database.GetCollection<BsonDocument>(MongoSchema.Leases);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction (snapshot reads, majority + journal commit).
    /// The driver retries transient transaction errors (a write conflict with a concurrent
    /// transaction among them) and unknown commit results, running <paramref name="work"/> again;
    /// the store's deadline bounds those retries. An exception thrown by <paramref name="work"/> aborts it.
    /// </summary>
    public Task<T> InTransactionAsync<T>(Func<IClientSessionHandle, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(
            async token =>
            {
                using var session = await _client.StartSessionAsync(cancellationToken: token).ConfigureAwait(false);
                return await session.WithTransactionAsync(work, _settings.Transactions, token).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>
    /// Runs one store operation within the store's deadline and translates the driver's failures.
    /// The caller's own cancellation passes through as such.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
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

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
