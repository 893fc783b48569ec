using CryptoSecure.Application.Common.Exceptions;
using MongoDB.Driver;

namespace CryptoSecure.Infrastructure.Persistence.Mongo;

/// <summary>
/// The one place where the driver's exceptions become the application's. A duplicate normalized
/// email is <see cref="IdentityAlreadyExistsException"/> (409); every other driver failure, whether
/// the server is unreachable, slow, or unsure whether a write happened, is
/// <see cref="StoreUnavailableException"/> (503) with a message for the logs that names the kind of
/// failure but never the driver's text (which can quote stored values).
/// </summary>
internal static class MongoErrors
{
    private const string DriverAssembly = "MongoDB.Driver";

    /// <summary>
    /// The exception the store throws in place of <paramref name="exception"/>, or null when it is
    /// not a driver failure and passes through unchanged (the store's own exceptions, argument errors).
    /// </summary>
    public static Exception? Translate(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            MongoWriteException { WriteError.Category: ServerErrorCategory.DuplicateKey } write => DuplicateKey(write.WriteError.Message, exception),
            MongoBulkWriteException bulk when bulk.WriteErrors.FirstOrDefault(e => e.Category == ServerErrorCategory.DuplicateKey) is { } error => DuplicateKey(error.Message, exception),
            MongoCommandException command when IsDuplicateKeyCode(command.Code) => DuplicateKey(command.ErrorMessage, exception),
            MongoWriteConcernException or MongoWriteException { WriteConcernError: not null } or MongoBulkWriteException { WriteConcernError: not null } =>
                Unavailable("MongoDB did not confirm the write concern (majority, journaled) in time; the write may or may not have been applied.", exception),
            MongoExecutionTimeoutException => Unavailable("MongoDB exceeded the operation's time limit.", exception),
            MongoConnectionException => Unavailable("The connection to MongoDB failed.", exception),
            TimeoutException => Unavailable("No MongoDB server was available in time (server selection or connection pool wait timed out).", exception),
            MongoCommandException command => Unavailable($"MongoDB refused a command (code {command.Code}).", exception),
            MongoException => Unavailable($"MongoDB failed ({exception.GetType().Name}).", exception),
            NotSupportedException when exception.Source == DriverAssembly =>
                Unavailable("MongoDB refused a transaction: the store needs a replica set or sharded cluster, not a standalone mongod.", exception),
            _ => null,
        };
    }

    /// <summary>The store's answer when its own deadline cut an operation short.</summary>
    public static StoreUnavailableException DeadlineExceeded(TimeSpan deadline, OperationCanceledException exception) =>
        new($"MongoDB did not complete the operation within {deadline.TotalSeconds:0.#} s; a write may or may not have been applied.", exception);

    private static bool IsDuplicateKeyCode(int code) => code is 11000 or 11001 or 12582;

    private static Exception DuplicateKey(string? serverMessage, Exception exception)
    {
        // The server names the index ("... index: email_normalized_unique dup key: { ... }"); the rest
        // of its message quotes the stored value, so only a known index name goes into ours.
        var index = IndexNamed(serverMessage);
        return index is MongoSchema.EmailIndexName or MongoSchema.HeldEmailIndexName
            ? new IdentityAlreadyExistsException()
            : Unavailable($"MongoDB rejected a duplicate key on index {index ?? "(unknown)"}.", exception);
    }

    private static string? IndexNamed(string? serverMessage)
    {
        if (serverMessage is null)
        {
            return null;
        }

        foreach (var index in MongoSchema.Indexes.Select(i => i.Name).Append(MongoSchema.EmailIndexName).Append("_id_"))
        {
            if (serverMessage.Contains($"index: {index} ", StringComparison.Ordinal))
            {
                return index;
            }
        }

        return null;
    }

    private static StoreUnavailableException Unavailable(string message, Exception exception) => new(message, exception);
}
