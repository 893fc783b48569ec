using System.Globalization;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Data.Sqlite;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>One step of the schema: what it does, and the version the store is at after it.</summary>
/// <param name="Version">The <c>user_version</c> after this step.</param>
/// <param name="Purpose">What it is for, for the start-up log.</param>
/// <param name="ApplyAsync">The work, inside the step's transaction (SQL, or code that needs to read rows).</param>
/// <param name="WithoutForeignKeys">
/// The step rebuilds a table others reference: foreign keys are switched off around its transaction
/// (SQLite ignores the switch inside one) so that dropping the old table cascades nowhere, and
/// <c>PRAGMA foreign_key_check</c> must find nothing before the step commits.
/// </param>
internal sealed record SqliteMigration(int Version, string Purpose, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task> ApplyAsync, bool WithoutForeignKeys = false)
{
    /// <summary>A step that is one SQL script of several statements.</summary>
    public static SqliteMigration FromSql(int version, string purpose, string sql, bool withoutForeignKeys = false) =>
        new(version, purpose, ApplySql(sql), withoutForeignKeys);

    private static Func<SqliteConnection, SqliteTransaction, CancellationToken, Task> ApplySql(string sql) =>
        async (connection, transaction, cancellationToken) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;

            // Step through every statement with the reader: ExecuteNonQuery of a multi-statement
            // script stops silently at the first statement after the first that fails (seen with
            // Microsoft.Data.Sqlite 10), which would commit half a migration as if it were whole.
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        };
}

/// <summary>
/// Brings a store to the code's schema version at start-up, before the store answers anything.
/// Each step runs in its own IMMEDIATE transaction together with the <c>user_version</c> it
/// reaches, so a crash leaves the store at the last completed step, and a second process
/// migrating the same file at once waits for the lock, sees the step done, and skips it.
/// A store at a version newer than the code knows is refused before anything is written to it.
/// </summary>
internal static class SqliteMigrator
{
    /// <summary>Runs the steps of <paramref name="migrations"/> the store has not had; returns the steps run.</summary>
    /// <exception cref="StartupConfigurationException">The store was written by a newer schema.</exception>
    public static async Task<IReadOnlyList<SqliteMigration>> MigrateAsync(
        SqliteConnection connection, IReadOnlyList<SqliteMigration> migrations, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(migrations);
        // 1, 2, … with no gap: a store at version n has had every step up to n, so a step numbered
        // below the store's version but missing from it (a gap filled later) would never run.
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException("SQLite migrations must be numbered 1, 2, … in order, with no gap.");
            }
        }

        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var current = await UserVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        RefuseNewer(current, latest, path);
        var applied = new List<SqliteMigration>();
        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            if (migration.WithoutForeignKeys)
            {
                await PragmaAsync(connection, "PRAGMA foreign_keys = OFF;", cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await ApplyStepAsync(connection, migration, latest, path, applied, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (migration.WithoutForeignKeys)
                {
                    await PragmaAsync(connection, "PRAGMA foreign_keys = ON;", CancellationToken.None).ConfigureAwait(false);
                }
            }
        }

        return applied;
    }

    private static async Task ApplyStepAsync(
        SqliteConnection connection, SqliteMigration migration, int latest, string path, List<SqliteMigration> applied, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = await UserVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        RefuseNewer(now, latest, path);
        if (now < migration.Version)
        {
            await migration.ApplyAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (migration.WithoutForeignKeys)
            {
                await using var check = connection.CreateCommand();
                check.CommandText = "PRAGMA foreign_key_check;";
                check.Transaction = transaction;
                await using var violations = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await violations.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException(
                        string.Create(CultureInfo.InvariantCulture, $"Schema step {migration.Version} would leave rows of {violations.GetString(0)} without the row they reference; nothing was changed."));
                }
            }

            await using var setVersion = connection.CreateCommand();
            setVersion.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {migration.Version};");
            setVersion.Transaction = transaction;
            await setVersion.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(migration);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task PragmaAsync(SqliteConnection connection, string pragma, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The store's <c>user_version</c> (0 for a new file).</summary>
    public static async Task<int> UserVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        command.Transaction = transaction;
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static void RefuseNewer(int current, int latest, string path)
    {
        if (current > latest)
        {
            throw new StartupConfigurationException(
                $"The key store {path} has schema version {current}, but this server knows versions up to {latest}: it was written by a newer " +
                "CryptoSecure. Run that release (or newer) on it, or point KeyStore:Sqlite:Path at a store of this release. The store was left unchanged.");
        }
    }
}
