using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Persistence.Mongo;
using MongoDB.Driver;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CryptoSecure.Infrastructure.Tests.Persistence.Mongo;

/// <summary>Where the MongoDB tests that need a server find one, and what they say when there is none.</summary>
internal static class MongoTestServer
{
    public const string Variable = "CRYPTOSECURE_TEST_MONGO";

    public const string NotConfigured =
        "CRYPTOSECURE_TEST_MONGO is not set: the MongoDB key-store contract suite did not run (set it to a replica-set connection string, see README)";

    /// <summary>The connection string, or a skip with the reason.</summary>
    public static string ConnectionStringOrSkip()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        Skip.If(string.IsNullOrWhiteSpace(connectionString), NotConfigured);
        return connectionString!;
    }

    /// <summary>A store on a fresh database of its own, so test classes running in parallel never meet.</summary>
    public static TestStore NewStore(string connectionString)
    {
        var database = "cryptosecure_test_" + Guid.NewGuid().ToString("N");
        return new TestStore(
            MongoStore.Open(new MongoStoreOptions { ConnectionString = connectionString, Database = database, TimeoutSeconds = 10 }),
            connectionString,
            database);
    }

    /// <summary>Drops the store's database and releases its client.</summary>
    public static async Task DropAsync(TestStore store)
    {
        try
        {
            using var client = new MongoClient(store.ConnectionString);
            await client.DropDatabaseAsync(store.Database);
        }
        finally
        {
            store.Adapter.Dispose();
        }
    }

    /// <summary>A store under test and the database it lives in.</summary>
    public sealed record TestStore(KeyStoreAdapter Adapter, string ConnectionString, string Database);
}

/// <summary>
/// Says once, in the test run's output, that the MongoDB suite is skipped and why: dotnet test's
/// default console output names skipped tests but not their reasons.
/// </summary>
public sealed class MongoSuiteNotice
{
    /// <summary>Writes the notice (xunit.runner.json turns diagnostic messages on).</summary>
    public MongoSuiteNotice(IMessageSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(MongoTestServer.Variable)))
        {
            sink.OnMessage(new DiagnosticMessage("SKIPPED: " + MongoTestServer.NotConfigured));
        }
    }
}

/// <summary>
/// The key-store contract, on MongoDB. Runs when <c>CRYPTOSECURE_TEST_MONGO</c> holds a replica
/// set's connection string; otherwise every test reports itself skipped, saying why.
/// </summary>
public sealed class MongoKeyStoreContractTests(MongoSuiteNotice notice) : KeyStoreContract, IClassFixture<MongoSuiteNotice>
{
    private readonly MongoSuiteNotice _notice = notice;

    private MongoTestServer.TestStore? _store;

    protected override Task<KeyStoreAdapter> CreateStoreAsync()
    {
        _store = MongoTestServer.NewStore(MongoTestServer.ConnectionStringOrSkip());
        return Task.FromResult(_store.Adapter);
    }

    protected override Task DestroyStoreAsync() =>
        _store is null ? Task.CompletedTask : MongoTestServer.DropAsync(_store);
}
