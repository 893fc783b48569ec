using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;
using static CryptoSecure.Infrastructure.Persistence.Sqlite.SqliteStoreConnection;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>The due-work queries in SQLite: range reads of the partial indexes on <c>deletes_at</c> and <c>next_rotation_at</c>.</summary>
internal sealed class SqliteDueWork(SqliteStoreConnection connection) : IDueWork
{
    /// <inheritdoc />
    public Task<IReadOnlyList<EmailAddress>> FindDueDeletionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        FindAsync("""
            SELECT email_display FROM identities
            WHERE deletes_at IS NOT NULL AND deletes_at <= $now
            ORDER BY deletes_at LIMIT $limit;
            """, now, limit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<EmailAddress>> FindDueRotationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        FindAsync("""
            SELECT email_display FROM identities
            WHERE next_rotation_at IS NOT NULL AND deletes_at IS NULL AND next_rotation_at <= $now
            ORDER BY next_rotation_at LIMIT $limit;
            """, now, limit, cancellationToken);

    private Task<IReadOnlyList<EmailAddress>> FindAsync(string sql, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return connection.RunAsync<IReadOnlyList<EmailAddress>>(
            async sqlite =>
            {
                await using var select = Command(sqlite, sql);
                select.Parameters.AddWithValue("$now", StoreTime.ToUnixMilliseconds(now));
                select.Parameters.AddWithValue("$limit", limit);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var found = new List<EmailAddress>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found.Add(EmailAddress.FromStore(reader.GetString(0)));
                }

                return found;
            },
            cancellationToken);
    }
}
