using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using Microsoft.Data.Sqlite;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>
/// The audit trail in SQLite: one row per event, one counted row per refusal bucket. Appends are
/// committed in groups (<see cref="AuditGroupCommitter"/>): one IMMEDIATE transaction and one fsync
/// for all the appends that arrive while the previous group commits. Events that record a change are
/// written by <see cref="SqliteKeyStore"/> in the change's own transaction, through <see cref="InsertAsync"/>.
/// </summary>
public sealed class SqliteAuditTrail : IAuditTrail, IAsyncDisposable, IDisposable
{
    private readonly SqliteStoreConnection _connection;
    private readonly AuditGroupCommitter _groups;

    // The group writer's own connection and statements, used only by the committer's loop, one group
    // at a time (and freed once it has stopped): kept open and prepared between groups. Dropped after a failure,
    // so the next group starts on a fresh connection.
    private GroupWriter? _writer;

    internal SqliteAuditTrail(SqliteStoreConnection connection)
    {
        _connection = connection;
        _groups = new AuditGroupCommitter(WriteGroupAsync);
    }

    /// <inheritdoc />
    public Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => _groups.AppendAsync(auditEvent, cancellationToken);

    /// <summary>Writes the appends still queued, then takes no more.</summary>
    public async ValueTask DisposeAsync()
    {
        await _groups.DisposeAsync().ConfigureAwait(false);
        _writer?.Dispose();
        _writer = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _groups.Dispose();
        _writer?.Dispose();
        _writer = null;
    }

    /// <inheritdoc />
    public Task<AuditPage> ReadAsync(Guid identityId, AuditKind? kind, AuditPosition? after, int limit, CancellationToken cancellationToken)
    {
        var take = AuditPaging.RowsToRead(limit);
        long? before = after is null ? null : AuditPaging.ToSequence(after);

        // Two statements rather than "$kind IS NULL OR kind = $kind", so each uses its own index.
        var sql = kind is null
            ? $"SELECT {SqliteRows.AuditColumns} FROM audit_events WHERE identity_id = $id AND ($before IS NULL OR seq < $before) ORDER BY seq DESC LIMIT $take;"
            : $"SELECT {SqliteRows.AuditColumns} FROM audit_events WHERE identity_id = $id AND kind = $kind AND ($before IS NULL OR seq < $before) ORDER BY seq DESC LIMIT $take;";
        return _connection.RunAsync(
            async connection =>
            {
                await using var command = SqliteStoreConnection.Command(connection, sql);
                command.Parameters.AddWithValue("$id", SqliteRows.Key(identityId));
                command.Parameters.AddWithValue("$kind", kind?.ToString() ?? (object)DBNull.Value);
                command.Parameters.AddWithValue("$before", (object?)before ?? DBNull.Value);
                command.Parameters.AddWithValue("$take", take);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var rows = new List<(AuditEvent Event, long Sequence)>(take);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(SqliteRows.ReadAuditEvent(reader, identityId));
                }

                return AuditPaging.Page(rows, limit, row => row.Event, row => AuditPaging.FromSequence(row.Sequence));
            },
            cancellationToken);
    }

    /// <summary>
    /// Inserts the event, or, for a refusal whose bucket already has its row, counts it there. One
    /// statement, so the count is exact under any number of concurrent writers. Events without a
    /// bucket (every success) take a plain INSERT: SQLite compiles an upsert with the update trigger
    /// and the conflict target each time, which measured as a slower encrypt than the first release.
    /// </summary>
    internal static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        await using var insert = SqliteStoreConnection.Command(connection, SqlFor(auditEvent), transaction);
        SqliteRows.AddAuditEvent(insert.Parameters, auditEvent);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string SqlFor(AuditEvent auditEvent) => AuditAggregation.BucketOf(auditEvent) is null ? PlainInsert : CountingInsert;

    /// <summary>
    /// One group in one transaction, in arrival order, so two refusals of one bucket in a group count
    /// as two; in the committer's loop, with the writer's own connection and prepared statements.
    /// </summary>
    private Task WriteGroupAsync(IReadOnlyList<AuditEvent> events)
    {
        try
        {
            _writer ??= new GroupWriter(_connection.OpenOwn());
            var writer = _writer;
            _connection.InTransaction(writer.Connection, transaction => writer.Insert(transaction, events));
            return Task.CompletedTask;
        }
        catch (SqliteException ex)
        {
            _writer?.Dispose();
            _writer = null;
            return Task.FromException(SqliteErrors.Unavailable(ex));
        }
    }

    /// <summary>An open connection with the two inserts prepared on it.</summary>
    private sealed class GroupWriter : IDisposable
    {
        private readonly SqliteCommand _plain;
        private readonly SqliteCommand _counting;

        public GroupWriter(SqliteConnection connection)
        {
            Connection = connection;
            _plain = SqliteStoreConnection.Command(connection, PlainInsert);
            _counting = SqliteStoreConnection.Command(connection, CountingInsert);
        }

        public SqliteConnection Connection { get; }

        public void Insert(SqliteTransaction transaction, IReadOnlyList<AuditEvent> events)
        {
            foreach (var auditEvent in events)
            {
                var insert = AuditAggregation.BucketOf(auditEvent) is null ? _plain : _counting;
                insert.Transaction = transaction;
                insert.Parameters.Clear();
                SqliteRows.AddAuditEvent(insert.Parameters, auditEvent);
                insert.ExecuteNonQuery();
            }
        }

        public void Dispose()
        {
            _plain.Dispose();
            _counting.Dispose();
            Connection.Dispose();
        }
    }

    private const string PlainInsert = """
        INSERT INTO audit_events (identity_id, occurred_at, action, outcome, actor, key_version, client_address, request_id, kind, occurrences, last_occurred_at, bucket)
        VALUES ($id, $at, $action, $outcome, $actor, $version, $address, $request, $kind, $count, $last, $bucket);
        """;

    private const string CountingInsert = """
        INSERT INTO audit_events (identity_id, occurred_at, action, outcome, actor, key_version, client_address, request_id, kind, occurrences, last_occurred_at, bucket)
        VALUES ($id, $at, $action, $outcome, $actor, $version, $address, $request, $kind, $count, $last, $bucket)
        ON CONFLICT (identity_id, bucket) WHERE bucket IS NOT NULL DO UPDATE SET
            occurrences = occurrences + excluded.occurrences,
            last_occurred_at = MAX(COALESCE(last_occurred_at, occurred_at), excluded.last_occurred_at);
        """;
}
