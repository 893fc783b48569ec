using System.Globalization;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Data.Sqlite;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>One step of the schema: what it does, and the version the store is at after it.</summary>
/// <param name="Version">The <c>user_version</c> after this step.</param>
/// <param name="Purpose">What it is for, for the start-up log.</param>
/// <param name="ApplyAsync">The work, inside the step's transaction (SQL, or code that needs to read rows).</param>
internal sealed record SqliteMigration(int Version, string Purpose, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task> ApplyAsync)
{
    /// <summary>A step that is one SQL script of several statements.</summary>
    public static SqliteMigration FromSql(int version, string purpose, string sql) =>
        new(version, purpose, async (connection, transaction, cancellationToken) =>
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
        });
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
        // Strictly increasing from 1. A gap is tolerated so that steps written side by side can keep
        // the numbers they were given until they meet (and are renumbered 1, 2, … without gaps then).
        for (var i = 0; i < migrations.Count; i++)
        {
            if (i == 0 ? migrations[i].Version != 1 : migrations[i].Version <= migrations[i - 1].Version)
            {
                throw new InvalidOperationException("SQLite migrations must be numbered upwards from 1, in order.");
            }
        }

        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var current = await UserVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        RefuseNewer(current, latest, path);
        var applied = new List<SqliteMigration>();
        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var now = await UserVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            RefuseNewer(now, latest, path);
            if (now < migration.Version)
            {
                await migration.ApplyAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                await using var setVersion = connection.CreateCommand();
                setVersion.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {migration.Version};");
                setVersion.Transaction = transaction;
                await setVersion.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                applied.Add(migration);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return applied;
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
