using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.Startup;
using MongoDB.Bson;
using MongoDB.Driver;
using Metadata = CryptoSecure.Infrastructure.Persistence.Mongo.MongoSchema.MetadataFields;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// The MongoDB store's life outside requests: the server checked for transactions, the schema
/// brought up to date (<see cref="MongoMigrations"/>), the master-key check value, health. A
/// remote store may come up after the server, so start-up waits for it in the background.
/// </summary>
public sealed class MongoKeyStoreAdmin : IKeyStoreAdmin
{
    private readonly MongoStoreConnection _connection;

    internal MongoKeyStoreAdmin(MongoStoreConnection connection) => _connection = connection;

    /// <inheritdoc />
    public bool RetriesWhenUnavailable => true;

    /// <inheritdoc />
    /// <exception cref="StartupConfigurationException">The server is a standalone mongod, or the store was written by a newer schema.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async token =>
            {
                var hello = await _connection.Database.RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), ReadPreference.Primary, token).ConfigureAwait(false);
                if (!SupportsTransactions(hello))
                {
                    throw new StartupConfigurationException(
                        "KeyStore:Mongo:ConnectionString names a standalone mongod. The MongoDB key store needs multi-document transactions: " +
                        "use a replica set (a single node will do: start mongod with --replSet rs0 and run rs.initiate() once) or a sharded cluster.");
                }

                await MongoMigrations.MigrateAsync(_connection.Database, MongoMigrations.All, token).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<byte[]> EnsureMasterKeyCheckAsync(byte[] candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return _connection.RunAsync(
            async token =>
            {
                var filter = Builders<BsonDocument>.Filter.Eq(Metadata.Id, Metadata.MasterKeyCheck);
                try
                {
                    await _connection.Metadata.UpdateOneAsync(
                        filter,
                        Builders<BsonDocument>.Update.SetOnInsert(Metadata.Value, new BsonBinaryData(candidate, BsonBinarySubType.Binary)),
                        new UpdateOptions { IsUpsert = true },
                        token).ConfigureAwait(false);
                }
                catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
                {
                    // Two servers starting at once: the other's upsert inserted first, which is all we need.
                }

                var stored = await _connection.Metadata.Find(filter).FirstOrDefaultAsync(token).ConfigureAwait(false);
                return stored?[Metadata.Value].AsByteArray
                    ?? throw new StoreUnavailableException("The master-key check value was not readable after it was written.");
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async token => await _connection.Database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), ReadPreference.Primary, token).ConfigureAwait(false),
            cancellationToken);

    private static bool SupportsTransactions(BsonDocument hello) =>
        hello.Contains("setName")                                                   // replica set member
        || (hello.TryGetValue("msg", out var msg) && msg == "isdbgrid")             // mongos
        || hello.Contains("serviceId");                                             // behind a load balancer (mongos)
}
