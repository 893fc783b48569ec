using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>
/// How the SQLite adapters talk to their file: a pooled connection per operation with the
/// durability settings on it, IMMEDIATE transactions, and SQLite's failures translated
/// (<see cref="SqliteErrors"/>). Connections never create the file themselves (SQLite would make it
/// 0644 less the umask): <see cref="SqliteKeyStoreAdmin.InitializeAsync"/> does, owner-only, so one
/// opened before initialization fails instead.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The write gate is never asked for its wait handle, so it holds nothing to release.")]
internal sealed class SqliteStoreConnection
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    // This process's write transactions take turns here rather than on SQLite's lock: its busy
    // handler polls with sleeps of milliseconds, which under contention became the p95 latency.
    // The busy timeout still arbitrates between processes that share the file.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SqliteStoreConnection(string path, int busyTimeoutSeconds, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(logger);
        Path = System.IO.Path.GetFullPath(path);
        Logger = logger;
        _busyTimeoutMs = busyTimeoutSeconds * 1000;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = busyTimeoutSeconds,
        }.ToString();
    }

    // Durability on every commit, cascades, zeroing of deleted content, and how long to wait for another writer.
    private string PerConnectionSettings => $"PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA busy_timeout={_busyTimeoutMs};";

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Where the adapters log (file permissions, migrations, WAL checkpoints).</summary>
    public ILogger Logger { get; }

    /// <summary>Runs <paramref name="work"/> on an open connection.</summary>
    /// <exception cref="Application.Common.Exceptions.StoreUnavailableException">SQLite failed.</exception>
    public async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            await ExecuteAsync(connection, PerConnectionSettings, cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Unavailable(ex);
        }
    }

    /// <summary>
    /// A connection of the caller's own, open and with the per-connection settings, for a writer that
    /// keeps one (and its prepared statements) instead of taking one from the pool per write. Dispose it.
    /// </summary>
    /// <exception cref="SqliteException">SQLite failed.</exception>
    public SqliteConnection OpenOwn()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var settings = Command(connection, PerConnectionSettings);
            settings.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on <paramref name="connection"/> (from <see cref="OpenOwn"/>) in
    /// one IMMEDIATE transaction, taking turns with this process's other writers; committed when it
    /// returns, rolled back when it throws. Synchronous, for a thread of its own.
    /// </summary>
    /// <exception cref="SqliteException">SQLite failed.</exception>
    public void InTransaction(SqliteConnection connection, Action<SqliteTransaction> work)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(work);
        _writeGate.Wait();
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            work(transaction);
            transaction.Commit();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction, committed when it returns, rolled back when it throws.</summary>
    public Task<T> InTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        InTransactionAsync(work, afterCommit: null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, committed when it returns, rolled back when it
    /// throws; then <paramref name="afterCommit"/> on the same connection, once this process's other
    /// writers may go on (for slow housekeeping such as a WAL checkpoint).
    /// </summary>
    public Task<T> InTransactionAsync<T>(
        Func<SqliteConnection, SqliteTransaction, Task<T>> work, Func<SqliteConnection, T, Task>? afterCommit, CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                T result;
                await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    // BEGIN IMMEDIATE: take the write lock up front, so writers of other processes
                    // queue on the busy timeout instead of failing on a lock upgrade, and what a
                    // transaction reads stays true until it commits.
                    await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    result = await work(connection, transaction).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _writeGate.Release();
                }

                if (afterCommit is not null)
                {
                    await afterCommit(connection, result).ConfigureAwait(false);
                }

                return result;
            },
            cancellationToken);

    /// <summary>A command on <paramref name="connection"/>, in <paramref name="transaction"/> when given.</summary>
    public static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Runs a statement that returns no rows.</summary>
    public static async Task<int> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = Command(connection, sql, transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
