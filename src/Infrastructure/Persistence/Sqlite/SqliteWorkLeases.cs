using static CryptoSecure.Infrastructure.Persistence.Sqlite.SqliteStoreConnection;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>
/// Leases in SQLite: table <c>leases</c>, one row per name. Taken and renewed by one upsert whose
/// update applies only when the row is the caller's or has expired; SQLite runs one writer at a
/// time, so of two nodes racing for a free lease exactly one gets it.
/// </summary>
internal sealed class SqliteWorkLeases(SqliteStoreConnection connection) : IWorkLeases
{
    /// <inheritdoc />
    public Task<bool> TryAcquireAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return connection.InTransactionAsync(
            async (sqlite, transaction) =>
            {
                await using var upsert = Command(sqlite, """
                    INSERT INTO leases (name, holder, expires_at) VALUES ($name, $holder, $expires)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE leases.holder = excluded.holder OR leases.expires_at <= $now;
                    """, transaction);
                upsert.Parameters.AddWithValue("$name", name);
                upsert.Parameters.AddWithValue("$holder", holder);
                upsert.Parameters.AddWithValue("$expires", StoreTime.ToUnixMilliseconds(now + duration));
                upsert.Parameters.AddWithValue("$now", StoreTime.ToUnixMilliseconds(now));
                return await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        connection.InTransactionAsync(
            async (sqlite, transaction) =>
            {
                await using var delete = Command(sqlite, "DELETE FROM leases WHERE name = $name AND holder = $holder;", transaction);
                delete.Parameters.AddWithValue("$name", name);
                delete.Parameters.AddWithValue("$holder", holder);
                return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
}
