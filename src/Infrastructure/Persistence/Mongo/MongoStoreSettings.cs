using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Startup;
using MongoDB.Driver;
using MongoDB.Driver.Core.Configuration;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// How the store talks to MongoDB, derived from <see cref="MongoStoreOptions"/>. Durability is not
/// negotiable: whatever the connection string says, writes wait for a journaled majority and key
/// rings are read at majority from the primary. Timeouts come from <c>TimeoutSeconds</c> unless the
/// connection string names them, so an unreachable server fails a request within seconds, not the
/// driver's default 30.
/// </summary>
internal sealed class MongoStoreSettings
{
    private MongoStoreSettings(MongoClientSettings client, string database, TimeSpan operationDeadline, TransactionOptions transactions)
    {
        Client = client;
        Database = database;
        OperationDeadline = operationDeadline;
        Transactions = transactions;
    }

    /// <summary>The driver's client settings.</summary>
    public MongoClientSettings Client { get; }

    /// <summary>The database holding the store's collections.</summary>
    public string Database { get; }

    /// <summary>
    /// The longest one store operation may take, the driver's own retries included (its
    /// transaction helper retries transient errors for up to 120 s otherwise).
    /// </summary>
    public TimeSpan OperationDeadline { get; }

    /// <summary>Options of every transaction: snapshot reads on the primary, majority + journal commit.</summary>
    public TransactionOptions Transactions { get; }

    /// <summary>Validates <paramref name="options"/> and derives the settings.</summary>
    /// <exception cref="StartupConfigurationException">A setting is missing or invalid; the message names it and never quotes the connection string (it may hold a password).</exception>
    public static MongoStoreSettings Create(MongoStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new StartupConfigurationException(
                "KeyStore:Mongo:ConnectionString is not set. Set it (for example the environment variable KeyStore__Mongo__ConnectionString) " +
                "to a replica set's connection string, such as mongodb://localhost:27017/?replicaSet=rs0.");
        }

        if (string.IsNullOrWhiteSpace(options.Database))
        {
            throw new StartupConfigurationException("KeyStore:Mongo:Database is empty; set it to the name of the database the key store uses.");
        }

        if (options.TimeoutSeconds < 1)
        {
            throw new StartupConfigurationException("KeyStore:Mongo:TimeoutSeconds must be at least 1.");
        }

        ConnectionString parsed;
        MongoClientSettings client;
        try
        {
            parsed = new ConnectionString(options.ConnectionString);
            client = MongoClientSettings.FromConnectionString(options.ConnectionString);
        }
        catch (Exception ex) when (ex is MongoConfigurationException or ArgumentException or FormatException)
        {
            throw new StartupConfigurationException("KeyStore:Mongo:ConnectionString is not a valid MongoDB connection string (mongodb://host:port/?replicaSet=name).");
        }

        var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);

        // Timeouts: explicit values in the connection string win; the socket waits longer than the
        // write-concern timeout, so the server's own "not confirmed in time" answer arrives first.
        client.ServerSelectionTimeout = parsed.ServerSelectionTimeout ?? timeout;
        client.ConnectTimeout = parsed.ConnectTimeout ?? timeout;
        client.WaitQueueTimeout = parsed.WaitQueueTimeout ?? timeout;
        client.SocketTimeout = parsed.SocketTimeout ?? (2 * timeout);
        client.RetryWrites = parsed.RetryWrites ?? true;
        client.RetryReads = parsed.RetryReads ?? true;

        // Durability and consistency (ADR-005): a write is acknowledged only once a majority has it
        // in its journal, so no failover rolls it back; reads come from the primary at majority, so
        // they never return a write that could still be rolled back.
        var writeConcern = new WriteConcern("majority", wTimeout: timeout, journal: true);
        client.WriteConcern = writeConcern;
        client.ReadConcern = ReadConcern.Majority;
        client.ReadPreference = ReadPreference.Primary;

        var transactions = new TransactionOptions(
            readConcern: ReadConcern.Snapshot,
            readPreference: ReadPreference.Primary,
            writeConcern: writeConcern,
            maxCommitTime: timeout);
        return new MongoStoreSettings(client, options.Database, 2 * timeout, transactions);
    }
}
