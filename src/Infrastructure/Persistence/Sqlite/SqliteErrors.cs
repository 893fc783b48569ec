using CryptoSecure.Application.Common.Exceptions;
using Microsoft.Data.Sqlite;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>
/// The one place where SQLite's exceptions become the application's: a unique constraint the
/// store relies on (a taken address) is recognised by its column; every other SQLite failure is
/// <see cref="StoreUnavailableException"/> (503), with a message for the logs that gives the error
/// codes but never SQLite's text (which can quote stored values).
/// </summary>
internal static class SqliteErrors
{
    private const int Constraint = 19;

    // SQLITE_FULL: the disk (or the file system's quota) is full; the statement's transaction is rolled back.
    private const int Full = 13;

    /// <summary>Whether <paramref name="exception"/> is a unique-constraint violation on <paramref name="tableDotColumn"/> ("identities.email_normalized").</summary>
    public static bool IsUniqueViolationOf(SqliteException exception, string tableDotColumn)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.SqliteErrorCode == Constraint && exception.Message.Contains(tableDotColumn, StringComparison.Ordinal);
    }

    /// <summary>The store's answer to a failure it has no more specific meaning for.</summary>
    public static StoreUnavailableException Unavailable(SqliteException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new StoreUnavailableException($"SQLite error {exception.SqliteErrorCode} (extended {exception.SqliteExtendedErrorCode}).", exception)
        {
            StorageFull = exception.SqliteErrorCode == Full,
        };
    }
}
