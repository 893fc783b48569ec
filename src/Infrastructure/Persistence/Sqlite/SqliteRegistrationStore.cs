using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;
using static CryptoSecure.Infrastructure.Persistence.Sqlite.SqliteStoreConnection;
using static CryptoSecure.Infrastructure.Persistence.StoreTime;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>The per-address mail count (table <c>mail_windows</c>) and the sweep's query, in SQLite.</summary>
internal sealed class SqliteRegistrationStore : IRegistrationStore
{
    private readonly SqliteStoreConnection _connection;

    public SqliteRegistrationStore(SqliteStoreConnection connection) => _connection = connection;

    /// <inheritdoc />
    public Task<TimeSpan?> TryCountMailAsync(EmailAddress address, DateTimeOffset now, int perHour, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(perHour, 1);
        return _connection.InTransactionAsync<TimeSpan?>(
            async (connection, transaction) =>
            {
                var nowMs = ToUnixMilliseconds(now);
                var hourMs = (long)MailWindow.Length.TotalMilliseconds;
                await using (var select = Command(connection, "SELECT window_start, sent FROM mail_windows WHERE email_normalized = $email;", transaction))
                {
                    select.Parameters.AddWithValue("$email", address.Normalized);
                    await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var start = reader.GetInt64(0);
                        var sent = reader.GetInt64(1);
                        if (nowMs < start + hourMs && sent >= perHour)
                        {
                            return TimeSpan.FromMilliseconds(start + hourMs - nowMs);
                        }
                    }
                }

                await using var upsert = Command(connection, """
                    INSERT INTO mail_windows (email_normalized, window_start, sent) VALUES ($email, $now, 1)
                    ON CONFLICT (email_normalized) DO UPDATE SET
                        window_start = CASE WHEN $now >= window_start + $hour THEN $now ELSE window_start END,
                        sent = CASE WHEN $now >= window_start + $hour THEN 1 ELSE sent + 1 END;
                    """, transaction);
                upsert.Parameters.AddWithValue("$email", address.Normalized);
                upsert.Parameters.AddWithValue("$now", nowMs);
                upsert.Parameters.AddWithValue("$hour", hourMs);
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Guid>> FindExpiredPendingAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        _connection.RunAsync<IReadOnlyList<Guid>>(
            async connection =>
            {
                await using var select = Command(connection, "SELECT id FROM identities WHERE standing = 'Pending' AND pending_until <= $now ORDER BY pending_until LIMIT $limit;");
                select.Parameters.AddWithValue("$now", ToUnixMilliseconds(now));
                select.Parameters.AddWithValue("$limit", limit);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var ids = new List<Guid>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    ids.Add(new Guid(reader.GetFieldValue<byte[]>(0)));
                }

                return ids;
            },
            cancellationToken);
}
