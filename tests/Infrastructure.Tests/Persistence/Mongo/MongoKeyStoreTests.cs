using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Options;
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

    private readonly MongoKeyStore _store = new(new MongoStoreOptions { ConnectionString = Unreachable, TimeoutSeconds = 2 });

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Ping_reports_an_unreachable_server_as_store_unavailable()
    {
        var act = () => _store.PingAsync(default).WaitAsync(UpperBound);

        await act.Should().ThrowAsync<StoreUnavailableException>();
    }

    [Fact]
    public async Task Reads_report_an_unreachable_server_as_store_unavailable()
    {
        var email = EmailAddress.Parse("nobody@example.com");

        await ((Func<Task>)(() => _store.FindAsync(email, default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
        await ((Func<Task>)(() => _store.ExistsAsync(email, default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
        await ((Func<Task>)(() => _store.ReadAsync(Guid.NewGuid(), null, null, 10, default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
    }

    [Fact]
    public async Task Writes_and_start_up_report_an_unreachable_server_as_store_unavailable()
    {
        var identity = NewIdentity("nobody@example.com");

        await ((Func<Task>)(() => _store.CreateAsync(identity, [Registered(identity)], default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
        await ((Func<Task>)(() => _store.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, 1), default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
        await ((Func<Task>)(() => _store.InitializeAsync(default).WaitAsync(UpperBound))).Should().ThrowAsync<StoreUnavailableException>();
    }

    [Fact]
    public async Task The_store_deadline_cuts_off_an_operation_even_when_the_connection_string_allows_a_longer_wait()
    {
        using var store = new MongoKeyStore(new MongoStoreOptions
        {
            ConnectionString = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=60000",
            TimeoutSeconds = 1,
        });

        var act = () => store.PingAsync(default).WaitAsync(UpperBound);

        (await act.Should().ThrowAsync<StoreUnavailableException>()).Which.Message.Should().Contain("within 2 s");
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        using var store = new MongoKeyStore(new MongoStoreOptions
        {
            ConnectionString = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=60000",
            TimeoutSeconds = 30,
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var act = () => store.PingAsync(cancel.Token).WaitAsync(UpperBound);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task The_position_is_checked_before_the_server_is_asked()
    {
        var act = () => _store.ReadAsync(Guid.NewGuid(), null, new AuditPosition([1, 2, 3]), 10, default);

        await act.Should().ThrowAsync<ArgumentException>();
    }
}

/// <summary>
/// What only the MongoDB store promises, checked on a real server: the documents and indexes it
/// leaves behind. Skipped, saying why, when <c>CRYPTOSECURE_TEST_MONGO</c> is not set.
/// </summary>
public sealed class MongoKeyStoreServerTests : IAsyncLifetime, IDisposable
{
    private string? _connectionString;
    private MongoKeyStore? _store;
    private MongoClient? _client;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _store is null ? Task.CompletedTask : MongoTestServer.DropAsync(_connectionString!, _store);

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
        _connectionString = MongoTestServer.ConnectionStringOrSkip();
        _store = MongoTestServer.NewStore(_connectionString);
        _client = new MongoClient(_connectionString);
        var database = _client.GetDatabase(_store.DatabaseName);
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

        await _store.InitializeAsync(default);
        await _store.InitializeAsync(default);

        (await _store.ReadAsync(identityId, null, null, 10, default)).Events.Should().HaveCount(4).And.OnlyContain(e => e.Count == 1);
        (await events.Find(new BsonDocument()).SortBy(d => d["_id"]).ToListAsync()).Select(d => d["kind"].AsString).Should().Equal("Owner", "Public", "Denied", "Owner");
        (await _store.ReadAsync(identityId, AuditKind.Denied, null, 10, default)).Events.Should().ContainSingle();
        var version = await database.GetCollection<BsonDocument>(MongoSchema.Metadata).Find(new BsonDocument("_id", "schema_version")).SingleAsync();
        version["value"].ToInt32().Should().Be(MongoMigrations.Version);
    }

    [SkippableFact]
    public async Task A_database_of_a_newer_schema_is_refused_and_left_as_it_was()
    {
        _connectionString = MongoTestServer.ConnectionStringOrSkip();
        _store = MongoTestServer.NewStore(_connectionString);
        _client = new MongoClient(_connectionString);
        var database = _client.GetDatabase(_store.DatabaseName);
        await database.GetCollection<BsonDocument>(MongoSchema.Metadata).InsertOneAsync(new BsonDocument { { "_id", "schema_version" }, { "value", MongoMigrations.Version + 1 } });

        var act = () => _store.InitializeAsync(default);

        (await act.Should().ThrowAsync<StartupConfigurationException>()).Which.Message.Should().Contain("newer").And.Contain("left unchanged");
        (await (await database.ListCollectionNamesAsync()).ToListAsync()).Should().Equal(MongoSchema.Metadata);
    }

    [SkippableFact]
    public async Task An_identity_is_one_document_with_a_standard_uuid_binary_keys_and_a_revision()
    {
        var (store, database) = await StartAsync();
        var identity = NewIdentity("shape@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);
        await store.AddKeyVersionAsync(identity.Id, 1, NewVersion(2), Event(identity, AuditAction.Rotated, 2), default);

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
        await store.CreateAsync(identity, [Registered(identity)], default);

        await store.DeleteAsync(identity.Id, Event(identity, AuditAction.Deleted, 1), default);

        (await database.GetCollection<BsonDocument>(MongoSchema.Identities).CountDocumentsAsync(new BsonDocument())).Should().Be(0);
        (await database.GetCollection<BsonDocument>(MongoSchema.AuditEvents).CountDocumentsAsync(new BsonDocument())).Should().Be(2);
    }

    [SkippableFact]
    public async Task A_rotation_that_names_a_version_out_of_sequence_is_a_conflict_even_at_the_current_revision()
    {
        var (store, _) = await StartAsync();
        var identity = NewIdentity("gap@example.com");
        await store.CreateAsync(identity, [Registered(identity)], default);

        var act = () => store.AddKeyVersionAsync(identity.Id, 1, NewVersion(3), Event(identity, AuditAction.Rotated, 3), default);

        await act.Should().ThrowAsync<ConcurrencyConflictException>();
        (await store.FindAsync(identity.Email, default))!.Keys.Versions.Should().ContainSingle();
        (await store.ReadAsync(identity.Id, null, null, 10, default)).Events.Should().ContainSingle();
    }

    private async Task<(MongoKeyStore Store, IMongoDatabase Database)> StartAsync()
    {
        _connectionString = MongoTestServer.ConnectionStringOrSkip();
        _store = MongoTestServer.NewStore(_connectionString);
        await _store.InitializeAsync(default);
        _client = new MongoClient(_connectionString);
        return (_store, _client.GetDatabase(_store.DatabaseName));
    }
}
