using Microsoft.Data.Sqlite;
using static CryptoSecure.Infrastructure.Persistence.Sqlite.SqliteStoreConnection;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>
/// The change feed in SQLite: table <c>identity_changes</c> (schema version 3). Its
/// <c>AUTOINCREMENT</c> key is the entry's number; SQLite keeps that counter in the writing
/// transaction, so a rolled-back change leaves no gap and numbers follow commit order (one writer
/// at a time). Only the identity's id is kept, not its address: a deleted identity's address
/// leaves the store with it, and the id is all a cache needs to find what to drop.
/// </summary>
internal sealed class SqliteIdentityChanges : IIdentityChangeFeed
{
    private readonly SqliteStoreConnection _connection;

    public SqliteIdentityChanges(SqliteStoreConnection connection) => _connection = connection;

    /// <summary>Records that <paramref name="identityId"/> changed, inside the change's own transaction.</summary>
    public static async Task RecordAsync(SqliteConnection connection, SqliteTransaction transaction, Guid identityId, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, "INSERT INTO identity_changes (identity_id, changed_at) VALUES ($id, $at);", transaction);
        insert.Parameters.AddWithValue("$id", SqliteRows.Key(identityId));
        insert.Parameters.AddWithValue("$at", StoreTime.ToUnixMilliseconds(DateTimeOffset.UtcNow));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<long> LatestAsync(CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async connection =>
            {
                await using var select = Command(connection, "SELECT COALESCE(MAX(seq), 0) FROM identity_changes;");
                return (long)(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IdentityChangeBatch> ReadAfterAsync(long cursor, int limit, CancellationToken cancellationToken) =>
        _connection.RunAsync(
            async connection =>
            {
                // One statement, one snapshot: the oldest kept entry and the entries after the
                // cursor agree, so "pruned past the cursor" is never a false alarm of a moving table.
                await using var select = Command(connection, """
                    SELECT (SELECT MIN(seq) FROM identity_changes), c.seq, c.identity_id
                    FROM (SELECT 1) LEFT JOIN (SELECT seq, identity_id FROM identity_changes WHERE seq > $cursor ORDER BY seq LIMIT $limit) c ON 1
                    ORDER BY c.seq;
                    """);
                select.Parameters.AddWithValue("$cursor", cursor);
                select.Parameters.AddWithValue("$limit", limit);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var ids = new List<Guid>();
                long? oldest = null;
                var last = cursor;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    oldest = reader.IsDBNull(0) ? null : reader.GetInt64(0);
                    if (!reader.IsDBNull(1))
                    {
                        last = reader.GetInt64(1);
                        ids.Add(new Guid(reader.GetFieldValue<byte[]>(2)));
                    }
                }

                return new IdentityChangeBatch(ids, last, Missed: oldest > cursor + 1);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        _connection.InTransactionAsync(
            async (connection, transaction) =>
            {
                // A prefix by number, so what is left always runs on from the oldest kept entry.
                await using var delete = Command(connection, """
                    DELETE FROM identity_changes
                    WHERE seq <= (SELECT MAX(seq) FROM identity_changes WHERE changed_at < $before)
                      AND seq < (SELECT MAX(seq) FROM identity_changes);
                    """, transaction);
                delete.Parameters.AddWithValue("$before", StoreTime.ToUnixMilliseconds(before));
                return (long)await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
}
