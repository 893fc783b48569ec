using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Persistence.Mongo;
using CryptoSecure.Infrastructure.Startup;
using MongoDB.Bson;
using MongoDB.Driver;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence.Mongo;

/// <summary>The indexes and client settings the store asks MongoDB for, checked without a server.</summary>
public sealed class MongoSchemaTests
{
    [Fact]
    public void The_normalized_email_has_a_unique_index()
    {
        var index = MongoSchema.Indexes.Single(i => i.Name == MongoSchema.EmailIndexName);

        index.Collection.Should().Be("identities");
        index.Keys.Should().Equal(new BsonDocument("emailNormalized", 1));
        index.Unique.Should().BeTrue();
    }

    [Fact]
    public void The_api_key_hash_has_a_unique_index()
    {
        var index = MongoSchema.Indexes.Single(i => i.Name == MongoSchema.ApiKeyHashIndexName);

        index.Collection.Should().Be("identities");
        index.Keys.Should().Equal(new BsonDocument("apiKeyHash", 1));
        index.Unique.Should().BeTrue();
    }

    [Fact]
    public void Audit_events_are_indexed_by_identity_then_newest_first()
    {
        var index = MongoSchema.Indexes.Single(i => i.Name == MongoSchema.AuditIndexName);

        index.Collection.Should().Be("audit_events");
        index.Keys.Should().Equal(new BsonDocument { { "identityId", 1 }, { "_id", -1 } });
        index.Keys.Names.Should().Equal("identityId", "_id");
        index.Unique.Should().BeFalse();
    }

    [Fact]
    public void Index_models_carry_the_name_and_uniqueness_to_the_driver()
    {
        foreach (var index in MongoSchema.Indexes)
        {
            var model = index.ToModel();

            model.Options.Name.Should().Be(index.Name);
            model.Options.Unique.Should().Be(index.Unique);
        }
    }

    [Fact]
    public void The_indexed_fields_are_the_ones_the_documents_use()
    {
        // With a deletion pending and automatic rotation on, so the lifecycle fields are there.
        var identity = MongoDocuments.ToDocument(NewIdentity("fields@example.com").Configure(1, TimeSpan.FromHours(1)).ScheduleDeletion(DateTimeOffset.UtcNow.AddDays(7)));
        var subject = NewIdentity("fields@example.com");
        var refusal = MongoDocuments.ToDocument(Refusal(subject, DateTimeOffset.UtcNow, "198.51.100.1"), ObjectId.GenerateNewId());

        foreach (var index in MongoSchema.Indexes)
        {
            var document = index.Collection == MongoSchema.Identities ? identity : refusal;
            document.Names.Should().Contain(index.Keys.Names);
        }
    }

    [Fact]
    public void Only_refusals_of_strangers_carry_a_bucket_so_only_they_meet_in_the_unique_bucket_index()
    {
        var subject = NewIdentity("bucket@example.com");
        var bucketIndex = MongoSchema.Indexes.Single(i => i.Name == MongoSchema.AuditBucketIndexName);

        MongoDocuments.ToDocument(Registered(subject), ObjectId.GenerateNewId()).Contains("bucket").Should().BeFalse();
        MongoDocuments.ToDocument(Refusal(subject, DateTimeOffset.UtcNow, "198.51.100.1"), ObjectId.GenerateNewId())["bucket"].AsString.Should().NotBeEmpty();
        bucketIndex.Unique.Should().BeTrue();
        bucketIndex.PartialFilter.Should().Equal(new BsonDocument("bucket", new BsonDocument("$exists", true)));
        bucketIndex.ToModel().Options.Should().BeOfType<CreateIndexOptions<BsonDocument>>().Which.PartialFilterExpression.Should().NotBeNull();
    }

    [Fact]
    public void Migrations_are_numbered_in_order_and_create_every_index_of_the_schema()
    {
        // Steps written side by side keep their given numbers (a gap) until they meet and are renumbered.
        var versions = MongoMigrations.All.Select(m => m.Version).ToList();
        versions[0].Should().Be(1);
        versions.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        MongoMigrations.Version.Should().Be(versions[^1]).And.Be(MongoMigrations.MasterKeyIdsVersion);
        MongoSchema.FirstReleaseIndexes.Concat(MongoSchema.AuditAggregationIndexes).Concat(MongoSchema.LifecycleIndexes).Should().Equal(MongoSchema.Indexes);
    }

    [Fact]
    public void Timeouts_come_from_TimeoutSeconds_so_an_unreachable_server_fails_within_seconds()
    {
        var settings = MongoStoreSettings.Create(new MongoStoreOptions { ConnectionString = "mongodb://db1,db2/?replicaSet=rs0", TimeoutSeconds = 3 });

        settings.Client.ServerSelectionTimeout.Should().Be(TimeSpan.FromSeconds(3));
        settings.Client.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(3));
        settings.Client.WaitQueueTimeout.Should().Be(TimeSpan.FromSeconds(3));
        settings.Client.SocketTimeout.Should().Be(TimeSpan.FromSeconds(6));
        settings.OperationDeadline.Should().Be(TimeSpan.FromSeconds(6));
        settings.Client.RetryWrites.Should().BeTrue();
        settings.Database.Should().Be("cryptosecure");
    }

    [Fact]
    public void Timeouts_named_in_the_connection_string_win()
    {
        var settings = MongoStoreSettings.Create(new MongoStoreOptions
        {
            ConnectionString = "mongodb://db1/?replicaSet=rs0&serverSelectionTimeoutMS=1000&connectTimeoutMS=1500",
            TimeoutSeconds = 3,
        });

        settings.Client.ServerSelectionTimeout.Should().Be(TimeSpan.FromSeconds(1));
        settings.Client.ConnectTimeout.Should().Be(TimeSpan.FromMilliseconds(1500));
        settings.Client.WaitQueueTimeout.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Writes_wait_for_a_journaled_majority_and_reads_are_majority_from_the_primary_whatever_the_connection_string_says()
    {
        var settings = MongoStoreSettings.Create(new MongoStoreOptions
        {
            ConnectionString = "mongodb://db1/?replicaSet=rs0&w=1&journal=false&readConcernLevel=local&readPreference=secondaryPreferred",
            TimeoutSeconds = 4,
        });

        foreach (var writeConcern in new[] { settings.Client.WriteConcern, settings.Transactions.WriteConcern })
        {
            writeConcern.W.Should().Be(WriteConcern.WValue.Parse("majority"));
            writeConcern.Journal.Should().BeTrue();
            writeConcern.WTimeout.Should().Be(TimeSpan.FromSeconds(4));
        }

        settings.Client.ReadConcern.Should().Be(ReadConcern.Majority);
        settings.Client.ReadPreference.Should().Be(ReadPreference.Primary);
        settings.Transactions.ReadConcern.Should().Be(ReadConcern.Snapshot);
        settings.Transactions.ReadPreference.Should().Be(ReadPreference.Primary);
    }

    [Fact]
    public void A_missing_connection_string_stops_start_up_naming_the_setting()
    {
        var act = () => MongoStore.Open(new MongoStoreOptions { ConnectionString = " " });

        act.Should().Throw<StartupConfigurationException>().WithMessage("*KeyStore:Mongo:ConnectionString*");
    }

    [Fact]
    public void An_invalid_connection_string_stops_start_up_without_quoting_it()
    {
        var act = () => MongoStore.Open(new MongoStoreOptions { ConnectionString = "mongodb://operator:hunter2-secret@db1:notaport/" });

        act.Should().Throw<StartupConfigurationException>()
            .WithMessage("*KeyStore:Mongo:ConnectionString*")
            .Which.Message.Should().NotContain("hunter2");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_timeout_below_one_second_stops_start_up(int seconds)
    {
        var act = () => MongoStoreSettings.Create(new MongoStoreOptions { ConnectionString = "mongodb://db1/?replicaSet=rs0", TimeoutSeconds = seconds });

        act.Should().Throw<StartupConfigurationException>().WithMessage("*KeyStore:Mongo:TimeoutSeconds*");
    }
}
