using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Persistence.Mongo;
using CryptoSecure.Infrastructure.Startup;
using MongoDB.Bson;
using MongoDB.Driver;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence.Mongo;

/// <summary>What the MongoDB store does when its server is not there: it fails fast and in the application's terms.</summary>
public sealed class MongoKeyStoreUnreachableTests : IDisposable
{
    // Port 1 refuses connections at once; the store must still give up within its timeouts.
    private const string Unreachable = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500&connectTimeoutMS=500";

    // Generous: the assertion is "does not hang", not a benchmark.
    private static readonly TimeSpan UpperBound = TimeSpan.FromSeconds(15);

    private readonly KeyStoreAdapter _store = MongoStore.Open(new MongoStoreOptions { ConnectionString = Unreachable, TimeoutSeconds = 2 });

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task The_backup_snapshot_is_refused_as_not_supported_naming_mongodump_without_touching_the_server()
    {
        var act = () => _store.Admin.OpenSnapshotAsync(default);

        (await act.Should().ThrowAsync<OperationNotSupportedException>()).Which.Message.Should().Contain("mongodump").And.Contain("docs/mongodb.md");
    }

    [Fact]
    public async Task Ping_reports_an_unreachable_server_as_store_unavailable()
    {
        var act = () => _store.Admin.PingAsync(default).WaitAsync(UpperBound);

        await act.Should().ThrowAsync<StoreUnavailableException>();
    }

    [Fact]
    public async Task Reads_report_an_unreachable_server_as_store_unavailable()
    {
        var email = EmailAddress.Parse("nobody@example.com");

        await ((Func<Task>)(() => _store.KeyStore.FindAsync(email, default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
        await ((Func<Task>)(() => _store.KeyStore.FindCredentialOwnerAsync(new ApiKeyHash(new byte[ApiKeyHash.Length]), default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
        await ((Func<Task>)(() => _store.AuditTrail.ReadAsync(Guid.NewGuid(), null, null, 10, default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
    }

    [Fact]
    public async Task Writes_and_start_up_report_an_unreachable_server_as_store_unavailable()
    {
        var identity = NewIdentity("nobody@example.com");

        await ((Func<Task>)(() => _store.KeyStore.CreateAsync(identity, [Registered(identity)], default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
        await ((Func<Task>)(() => _store.KeyStore.SaveAsync(Rotated(identity), 1, [Event(identity, AuditAction.Rotated, 2)], default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
        await ((Func<Task>)(() => _store.KeyStore.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, 1), default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
        await ((Func<Task>)(() => _store.AuditTrail.AppendAsync(Registered(identity), default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
        await ((Func<Task>)(() => _store.Admin.InitializeAsync(default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
    }

    [Fact]
    public async Task The_store_deadline_cuts_off_an_operation_even_when_the_connection_string_allows_a_longer_wait()
    {
        using var store = MongoStore.Open(new MongoStoreOptions
        {
            ConnectionString = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=60000",
            TimeoutSeconds = 1,
        });

        var act = () => store.Admin.PingAsync(default).WaitAsync(UpperBound);

        (await act.Should().ThrowAsync<StoreUnavailableException>()).Which.Message.Should().Contain("within 2 s");
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        using var store = MongoStore.Open(new MongoStoreOptions
        {
            ConnectionString = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=60000",
            TimeoutSeconds = 30,
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var act = () => store.Admin.PingAsync(cancel.Token).WaitAsync(UpperBound);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task The_position_is_checked_before_the_server_is_asked()
    {
        var act = () => _store.AuditTrail.ReadAsync(Guid.NewGuid(), null, new AuditPosition([1, 2, 3]), 10, default);

        await act.Should().ThrowAsync<ArgumentException>();
    }
}

/// <summary>
/// What only the MongoDB store promises, checked on a real server: the documents and indexes it
/// leaves behind. Skipped, saying why, when <c>CRYPTOSECURE_TEST_MONGO</c> is not set.
/// </summary>
public sealed class MongoKeyStoreServerTests : IAsyncLifetime, IDisposable
{
    private MongoTestServer.TestStore? _test;
    private MongoClient? _client;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _test is null ? Task.CompletedTask : MongoTestServer.DropAsync(_test);

    public void Dispose() => _client?.Dispose();

    [SkippableFact]
    public async Task Initialization_creates_the_unique_email_and_api_key_indexes_and_the_audit_index()
    {
        var (_, database) = await StartAsync();

        var identityIndexes = await (await database.GetCollection<BsonDocument>(MongoSchema.Identities).Indexes.ListAsync()).ToListAsync();
        var auditIndexes = await (await database.GetCollection<BsonDocument>(MongoSchema.AuditEvents).Indexes.ListAsync()).ToListAsync();

        var email = identityIndexes.Single(i => i["name"] == MongoSchema.EmailIndexName);
        email["key"].Should().Be(new BsonDocument("emailNormalized", 1));
        email["unique"].AsBoolean.Should().BeTrue();
        var apiKey = identityIndexes.Single(i => i["name"] == MongoSchema.ApiKeyHashIndexName);
        apiKey["key"].Should().Be(new BsonDocument("apiKeyHash", 1));
        apiKey["unique"].AsBoolean.Should().BeTrue();
        auditIndexes.Single(i => i["name"] == MongoSchema.AuditIndexName)["key"].Should().Be(new BsonDocument { { "identityId", 1 }, { "_id", -1 } });
        auditIndexes.Single(i => i["name"] == MongoSchema.AuditKindIndexName)["key"].Should().Be(new BsonDocument { { "identityId", 1 }, { "kind", 1 }, { "_id", -1 } });
        var bucket = auditIndexes.Single(i => i["name"] == MongoSchema.AuditBucketIndexName);
        bucket["unique"].AsBoolean.Should().BeTrue();
        bucket["partialFilterExpression"].Should().Be(new BsonDocument("bucket", new BsonDocument("$exists", true)));
    }

    [SkippableFact]
    public async Task A_first_release_database_is_migrated_its_events_get_their_kinds_and_the_schema_version_is_recorded()
    {
        var (store, database) = Unstarted();
        var identityId = Guid.NewGuid();
        var events = database.GetCollection<BsonDocument>(MongoSchema.AuditEvents);
        BsonDocument FirstReleaseEvent(string action, string outcome, string actor) => new()
        {
            { "_id", ObjectId.GenerateNewId() }, { "identityId", MongoDocuments.ToBson(identityId) }, { "occurredAt", new BsonDateTime(DateTime.UtcNow) },
            { "action", action }, { "outcome", outcome }, { "actor", actor },
        };
        await events.InsertManyAsync([
            FirstReleaseEvent("Registered", "Success", "Anonymous"), FirstReleaseEvent("Encrypted", "Success", "Anonymous"),
            FirstReleaseEvent("Denied", "Denied", "Other"), FirstReleaseEvent("Exported", "Denied", "Owner")]);

        await store.Admin.InitializeAsync(default);
        await store.Admin.InitializeAsync(default);

        (await store.AuditTrail.ReadAsync(identityId, null, null, 10, default)).Events.Should().HaveCount(4).And.OnlyContain(e => e.Count == 1);
        (await events.Find(new BsonDocument()).SortBy(d => d["_id"]).ToListAsync()).Select(d => d["kind"].AsString).Should().Equal("Owner", "Public", "Denied", "Owner");
        (await store.AuditTrail.ReadAsync(identityId, AuditKind.Denied, null, 10, default)).Events.Should().ContainSingle();
        var version = await database.GetCollection<BsonDocument>(MongoSchema.Metadata).Find(new BsonDocument("_id", "schema_version")).SingleAsync();
        version["value"].ToInt32().Should().Be(MongoMigrations.Version);
    }

    [SkippableFact]
    public async Task A_database_of_a_newer_schema_is_refused_and_left_as_it_was()
    {
        var (store, database) = Unstarted();
        await database.GetCollection<BsonDocument>(MongoSchema.Metadata).InsertOneAsync(new BsonDocument { { "_id", "schema_version" }, { "value", MongoMigrations.Version + 1 } });

        var act = () => store.Admin.InitializeAsync(default);

        (await act.Should().ThrowAsync<StartupConfigurationException>()).Which.Message.Should().Contain("newer").And.Contain("left unchanged");
        (await (await database.ListCollectionNamesAsync()).ToListAsync()).Should().Equal(MongoSchema.Metadata);
    }

    [SkippableFact]
    public async Task An_identity_is_one_document_with_a_standard_uuid_binary_keys_and_a_revision()
    {
        var (store, database) = await StartAsync();
        var identity = NewIdentity("shape@example.com");
        await store.KeyStore.CreateAsync(identity, [Registered(identity)], default);
        await store.KeyStore.SaveAsync(Rotated(identity), 1, [Event(identity, AuditAction.Rotated, 2)], default);

        var document = await database.GetCollection<BsonDocument>(MongoSchema.Identities).Find(new BsonDocument()).SingleAsync();

        document["_id"].AsBsonBinaryData.SubType.Should().Be(BsonBinarySubType.UuidStandard);
        document["_id"].AsBsonBinaryData.Bytes.Should().Equal(identity.Id.ToByteArray(bigEndian: true));
        document["revision"].BsonType.Should().Be(BsonType.Int64);
        document["revision"].AsInt64.Should().Be(2);
        var keys = document["keys"].AsBsonArray;
        keys.Should().HaveCount(2);
        keys[0]["sealedPrivateKey"].AsBsonBinaryData.Bytes.Should().Equal(identity.Keys.Latest.SealedPrivateKey.ToArray());
    }

    [SkippableFact]
    public async Task Delete_removes_the_document_that_held_the_sealed_keys_and_keeps_the_audit_events()
    {
        var (store, database) = await StartAsync();
        var identity = NewIdentity("gone@example.com");
        await store.KeyStore.CreateAsync(identity, [Registered(identity)], default);

        await store.KeyStore.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, 1), default);

        (await database.GetCollection<BsonDocument>(MongoSchema.Identities).CountDocumentsAsync(new BsonDocument())).Should().Be(0);
        (await database.GetCollection<BsonDocument>(MongoSchema.AuditEvents).CountDocumentsAsync(new BsonDocument())).Should().Be(2);
    }

    [SkippableFact]
    public async Task A_save_sets_the_changed_fields_and_pushes_only_the_new_key_versions()
    {
        var (store, database) = await StartAsync();
        var identity = NewIdentity("push@example.com");
        await store.KeyStore.CreateAsync(identity, [Registered(identity)], default);
        var identities = database.GetCollection<BsonDocument>(MongoSchema.Identities);
        var firstKey = (await identities.Find(new BsonDocument()).SingleAsync())["keys"][0];

        await store.KeyStore.SaveAsync(Rotated(Rotated(identity)).Configure(2), 1, [Event(identity, AuditAction.Rotated, 2)], default);

        var document = await identities.Find(new BsonDocument()).SingleAsync();
        document["revision"].BsonType.Should().Be(BsonType.Int64);
        document["revision"].AsInt64.Should().Be(4);
        document["minDecryptionVersion"].AsInt32.Should().Be(2);
        document["keys"].AsBsonArray.Select(k => k["version"].AsInt32).Should().Equal(1, 2, 3);
        document["keys"][0].Should().Be(firstKey, "stored versions are never rewritten");
    }

    private async Task<(KeyStoreAdapter Store, IMongoDatabase Database)> StartAsync()
    {
        var (store, database) = Unstarted();
        await store.Admin.InitializeAsync(default);
        return (store, database);
    }

    private (KeyStoreAdapter Store, IMongoDatabase Database) Unstarted()
    {
        var connectionString = MongoTestServer.ConnectionStringOrSkip();
        _test = MongoTestServer.NewStore(connectionString);
        _client = new MongoClient(connectionString);
        return (_test.Adapter, _client.GetDatabase(_test.Database));
    }
}
