using System.Net;
using System.Reflection;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.Persistence.Mongo;
using CryptoSecure.Infrastructure.Startup;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace CryptoSecure.Infrastructure.Tests.Persistence.Mongo;

/// <summary>How driver failures become the application's exceptions (409 or 503), built from the driver's own exception types.</summary>
public sealed class MongoErrorsTests
{
    private const string StoredEmail = "carol@example.com";

    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("db1", 27017)));

    private static string DuplicateKeyMessage(string index) =>
        $"E11000 duplicate key error collection: cryptosecure.identities index: {index} dup key: {{ emailNormalized: \"{StoredEmail}\" }}";

    [Fact]
    public void A_duplicate_normalized_email_on_insert_means_the_address_is_taken()
    {
        var exception = new MongoWriteException(Connection, WriteError(DuplicateKeyMessage(MongoSchema.EmailIndexName)), null, null);

        MongoErrors.Translate(exception).Should().BeOfType<IdentityAlreadyExistsException>();
    }

    [Fact]
    public void A_duplicate_normalized_email_reported_by_a_command_or_a_bulk_write_means_the_same()
    {
        var command = new MongoCommandException(
            Connection,
            "Command insert failed",
            new BsonDocument("insert", "identities"),
            new BsonDocument { { "ok", 0 }, { "code", 11000 }, { "codeName", "DuplicateKey" }, { "errmsg", DuplicateKeyMessage(MongoSchema.EmailIndexName) } });
        var bulk = new BulkFailure(Connection, [BulkWriteError(DuplicateKeyMessage(MongoSchema.EmailIndexName))]);

        MongoErrors.Translate(command).Should().BeOfType<IdentityAlreadyExistsException>();
        MongoErrors.Translate(bulk).Should().BeOfType<IdentityAlreadyExistsException>();
    }

    [Fact]
    public void A_duplicate_on_another_index_is_a_store_failure_that_quotes_no_stored_value()
    {
        var exception = new MongoWriteException(Connection, WriteError(DuplicateKeyMessage(MongoSchema.ApiKeyHashIndexName)), null, null);

        var translated = MongoErrors.Translate(exception);

        translated.Should().BeOfType<StoreUnavailableException>()
            .Which.Message.Should().Contain(MongoSchema.ApiKeyHashIndexName).And.NotContain(StoredEmail).And.NotContain("E11000");
    }

    [Fact]
    public void A_server_selection_timeout_is_store_unavailable()
    {
        var exception = new TimeoutException("A timeout occurred after 500ms selecting a server using CompositeServerSelector ...");

        MongoErrors.Translate(exception).Should().BeOfType<StoreUnavailableException>()
            .Which.Message.Should().NotContain("CompositeServerSelector");
    }

    [Fact]
    public void A_broken_connection_is_store_unavailable()
    {
        var exception = new MongoConnectionException(Connection, "An exception occurred while opening a connection to the server.", new IOException("refused"));

        MongoErrors.Translate(exception).Should().BeOfType<StoreUnavailableException>().Which.InnerException.Should().BeSameAs(exception);
    }

    [Fact]
    public void An_operation_over_its_server_time_limit_is_store_unavailable()
    {
        var exception = new MongoExecutionTimeoutException(Connection, "operation exceeded time limit");

        MongoErrors.Translate(exception).Should().BeOfType<StoreUnavailableException>();
    }

    [Fact]
    public void A_write_concern_not_confirmed_in_time_is_store_unavailable_with_an_unknown_outcome()
    {
        var response = new BsonDocument
        {
            { "ok", 1 },
            { "n", 1 },
            { "writeConcernError", new BsonDocument { { "code", 64 }, { "codeName", "WriteConcernFailed" }, { "errmsg", "waiting for replication timed out" } } },
        };
        var exception = new MongoWriteConcernException(Connection, "Write concern error", new WriteConcernResult(response));

        MongoErrors.Translate(exception).Should().BeOfType<StoreUnavailableException>()
            .Which.Message.Should().Contain("may or may not");
    }

    [Fact]
    public void A_command_the_server_refuses_is_store_unavailable()
    {
        var exception = new MongoCommandException(
            Connection,
            "Command update failed: not primary.",
            new BsonDocument("update", "identities"),
            new BsonDocument { { "ok", 0 }, { "code", 10107 }, { "codeName", "NotWritablePrimary" }, { "errmsg", "not primary" } });

        MongoErrors.Translate(exception).Should().BeOfType<StoreUnavailableException>()
            .Which.Message.Should().Contain("10107").And.NotContain("not primary");
    }

    [Fact]
    public void Any_other_driver_exception_is_store_unavailable()
    {
        MongoErrors.Translate(new MongoClientException("something in the driver")).Should().BeOfType<StoreUnavailableException>();
        MongoErrors.Translate(new MongoException("something else")).Should().BeOfType<StoreUnavailableException>();
    }

    [Fact]
    public void The_drivers_refusal_of_transactions_on_a_standalone_server_is_store_unavailable()
    {
        var fromDriver = new NotSupportedException("Standalone servers do not support transactions.") { Source = "MongoDB.Driver" };
        var fromElsewhere = new NotSupportedException("not ours to translate");

        MongoErrors.Translate(fromDriver).Should().BeOfType<StoreUnavailableException>().Which.Message.Should().Contain("replica set");
        MongoErrors.Translate(fromElsewhere).Should().BeNull();
    }

    [Fact]
    public void The_stores_own_exceptions_pass_through_untouched()
    {
        MongoErrors.Translate(new IdentityNotFoundException()).Should().BeNull();
        MongoErrors.Translate(new ConcurrencyConflictException()).Should().BeNull();
        MongoErrors.Translate(new IdentityAlreadyExistsException()).Should().BeNull();
        MongoErrors.Translate(new StartupConfigurationException("KeyStore:Mongo:ConnectionString names a standalone mongod.")).Should().BeNull();
        MongoErrors.Translate(new ArgumentException("bad cursor")).Should().BeNull();
        MongoErrors.Translate(new OperationCanceledException()).Should().BeNull();
    }

    [Fact]
    public void Running_past_the_stores_deadline_is_store_unavailable_saying_a_write_may_have_happened()
    {
        var translated = MongoErrors.DeadlineExceeded(TimeSpan.FromSeconds(10), new OperationCanceledException());

        translated.Message.Should().Contain("10 s").And.Contain("may or may not");
    }

    // The driver builds these from server replies; their constructors are internal.
    private static WriteError WriteError(string message) =>
        (WriteError)typeof(WriteError).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic).Single()
            .Invoke([ServerErrorCategory.DuplicateKey, 11000, message, null]);

    private static BulkWriteError BulkWriteError(string message) =>
        (BulkWriteError)typeof(BulkWriteError).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic).Single()
            .Invoke([0, ServerErrorCategory.DuplicateKey, 11000, message, null]);

    private sealed class BulkFailure(ConnectionId connectionId, IEnumerable<BulkWriteError> errors)
        : MongoBulkWriteException(connectionId, errors, null);
}
