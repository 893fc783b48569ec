using System.Buffers.Binary;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using Microsoft.Data.Sqlite;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>The audit trail in SQLite: one row per event, one counted row per refusal bucket.</summary>
public sealed partial class SqliteKeyStore
{
    private const string AuditColumns = "seq, occurred_at, action, outcome, actor, key_version, client_address, request_id, occurrences, last_occurred_at";

    /// <inheritdoc />
    public Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return InTransactionAsync((connection, transaction) => InsertAuditAsync(connection, transaction, auditEvent, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<AuditPage> ReadAsync(Guid identityId, AuditKind? kind, AuditPosition? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        long? before = after is null ? null : ToSequence(after);

        // Two statements rather than "$kind IS NULL OR kind = $kind", so each uses its own index.
        var sql = kind is null
            ? $"SELECT {AuditColumns} FROM audit_events WHERE identity_id = $id AND ($before IS NULL OR seq < $before) ORDER BY seq DESC LIMIT $take;"
            : $"SELECT {AuditColumns} FROM audit_events WHERE identity_id = $id AND kind = $kind AND ($before IS NULL OR seq < $before) ORDER BY seq DESC LIMIT $take;";
        return RunAsync(
            async connection =>
            {
                await using var command = Command(connection, sql);
                command.Parameters.AddWithValue("$id", identityId.ToByteArray());
                command.Parameters.AddWithValue("$kind", kind?.ToString() ?? (object)DBNull.Value);
                command.Parameters.AddWithValue("$before", (object?)before ?? DBNull.Value);
                command.Parameters.AddWithValue("$take", limit + 1);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var events = new List<AuditEvent>(limit);
                long lastSeq = 0;
                var more = false;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (events.Count == limit)
                    {
                        more = true;
                        break;
                    }

                    lastSeq = reader.GetInt64(0);
                    var occurredAt = FromUnixMs(reader.GetInt64(1));
                    events.Add(new AuditEvent(
                        identityId,
                        occurredAt,
                        Enum.Parse<AuditAction>(reader.GetString(2)),
                        Enum.Parse<AuditOutcome>(reader.GetString(3)),
                        Enum.Parse<AuditActor>(reader.GetString(4)),
                        reader.IsDBNull(5) ? null : reader.GetInt32(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6),
                        reader.IsDBNull(7) ? null : reader.GetString(7))
                    {
                        Count = reader.GetInt32(8),
                        LastOccurredAt = reader.IsDBNull(9) ? occurredAt : FromUnixMs(reader.GetInt64(9)),
                    });
                }

                return new AuditPage(events, more ? ToPosition(lastSeq) : null);
            },
            cancellationToken);
    }

    /// <summary>
    /// Inserts the event, or, for a refusal whose bucket already has its row, counts it there. One
    /// statement, so the count is exact under any number of concurrent writers.
    /// </summary>
    private static async Task InsertAuditAsync(SqliteConnection connection, SqliteTransaction transaction, AuditEvent e, CancellationToken cancellationToken)
    {
        var bucket = AuditAggregation.BucketOf(e);
        await using var insert = Command(connection, """
            INSERT INTO audit_events (identity_id, occurred_at, action, outcome, actor, key_version, client_address, request_id, kind, occurrences, last_occurred_at, bucket)
            VALUES ($id, $at, $action, $outcome, $actor, $version, $address, $request, $kind, $count, $last, $bucket)
            ON CONFLICT (identity_id, bucket) WHERE bucket IS NOT NULL DO UPDATE SET
                occurrences = occurrences + excluded.occurrences,
                last_occurred_at = MAX(COALESCE(last_occurred_at, occurred_at), excluded.last_occurred_at);
            """, transaction);
        insert.Parameters.AddWithValue("$id", e.IdentityId.ToByteArray());
        insert.Parameters.AddWithValue("$at", ToUnixMs(e.OccurredAt));
        insert.Parameters.AddWithValue("$action", e.Action.ToString());
        insert.Parameters.AddWithValue("$outcome", e.Outcome.ToString());
        insert.Parameters.AddWithValue("$actor", e.Actor.ToString());
        insert.Parameters.AddWithValue("$version", (object?)e.KeyVersion ?? DBNull.Value);
        insert.Parameters.AddWithValue("$address", (object?)e.ClientAddress ?? DBNull.Value);
        insert.Parameters.AddWithValue("$request", (object?)e.RequestId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$kind", e.Kind.ToString());
        insert.Parameters.AddWithValue("$count", e.Count);
        insert.Parameters.AddWithValue("$last", ToUnixMs(e.LastOccurredAt));
        insert.Parameters.AddWithValue("$bucket", (object?)bucket ?? DBNull.Value);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // A position is the row's sequence number, big-endian; only ever shown to clients sealed.
    private static AuditPosition ToPosition(long seq)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, seq);
        return new AuditPosition(bytes);
    }

    private static long ToSequence(AuditPosition position) =>
        position.Bytes.Length == sizeof(long) && BinaryPrimitives.ReadInt64BigEndian(position.Bytes) is > 0 and var seq
            ? seq
            : throw new ArgumentException("Not a position this store made.", nameof(position));
}
