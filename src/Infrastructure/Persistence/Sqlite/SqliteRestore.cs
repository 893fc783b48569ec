using System.Globalization;
using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.FileSystem;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>How a restore ended: the process exit code and the one line to print.</summary>
/// <param name="ExitCode">0 restored; see <see cref="SqliteRestore"/> for the others.</param>
/// <param name="Message">One line for the operator, never a secret.</param>
public sealed record RestoreOutcome(int ExitCode, string Message);

/// <summary>
/// Restores a SQLite snapshot (from <c>GET /api/v1/admin/backup</c> or any copy of a store) into a
/// new store file, after checking it: SQLite's <c>integrity_check</c>, a schema version this code
/// knows, and a master-key check value (and, from schema 7 on, every sealed key's master key id)
/// that the configured master keys match. The checks run on a private copy beside the target,
/// which becomes the target by an atomic rename only when all have passed; the snapshot is only
/// read, and an existing file at the target (a store in use, or anything else) is never replaced.
/// </summary>
/// <remarks>Exit codes: 0 restored; 2 bad arguments; 3 the target exists; 4 the snapshot is unreadable or fails the integrity check; 5 its schema is newer than this code; 6 no configured master key opens it.</remarks>
public static class SqliteRestore
{
    public const int Restored = 0;
    public const int Usage = 2;
    public const int TargetExists = 3;
    public const int Damaged = 4;
    public const int NewerSchema = 5;
    public const int WrongMasterKey = 6;

    private static readonly string[] Companions = ["-wal", "-shm", "-journal"];

    /// <summary>Checks <paramref name="snapshot"/> and writes it as a new store at <paramref name="target"/> (0600).</summary>
    public static async Task<RestoreOutcome> RestoreAsync(string snapshot, string target, MasterKeyRing masterKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(masterKeys);
        if (string.IsNullOrWhiteSpace(snapshot) || string.IsNullOrWhiteSpace(target))
        {
            return new(Usage, "Usage: restore SNAPSHOT --to PATH");
        }

        snapshot = Path.GetFullPath(snapshot);
        target = Path.GetFullPath(target);
        if (!File.Exists(snapshot))
        {
            return new(Damaged, $"The snapshot {snapshot} does not exist or is not a file.");
        }

        if (File.Exists(target) || Directory.Exists(target) || Companions.Any(c => File.Exists(target + c)))
        {
            return new(TargetExists, $"{target} already exists (perhaps a store in use): restore never overwrites. Choose a new path with --to.");
        }

        var directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory))
        {
            return new(Usage, $"The directory {directory} does not exist; create it (owner-only, 0700) first.");
        }

        var work = Path.Combine(directory, $".{Path.GetFileName(target)}.restoring-{Guid.NewGuid():N}");
        try
        {
            try
            {
                OwnerOnlyFiles.CreateOrNarrowFile(work, "--to", NullLogger.Instance);
                await using (var from = new FileStream(snapshot, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
                await using (var to = new FileStream(work, FileMode.Truncate, FileAccess.Write))
                {
                    await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
                    await to.FlushAsync(cancellationToken).ConfigureAwait(false);
                    to.Flush(flushToDisk: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new(Usage, $"Could not copy {snapshot} into {directory}: {ex.Message}");
            }

            var refusal = await CheckAsync(snapshot, work, masterKeys, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }

            try
            {
                File.Move(work, target, overwrite: false);
            }
            catch (IOException)
            {
                return new(TargetExists, $"{target} appeared while the snapshot was checked: restore never overwrites. Nothing was written there.");
            }

            return new(Restored, $"Restored {snapshot} to {target}. Point KeyStore:Sqlite:Path at it (with the same master keys configured) and start the server.");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var leftover in new[] { work }.Concat(Companions.Select(c => work + c)))
            {
                if (File.Exists(leftover))
                {
                    File.Delete(leftover);
                }
            }
        }
    }

    private static async Task<RestoreOutcome?> CheckAsync(string snapshot, string work, MasterKeyRing masterKeys, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = work, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var integrity = await ScalarAsync(connection, "PRAGMA integrity_check;", cancellationToken).ConfigureAwait(false) as string;
            if (integrity != "ok")
            {
                return new(Damaged, $"The snapshot {snapshot} fails SQLite's integrity check ({First(integrity)}); nothing was restored.");
            }

            var version = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (version == 0 || await ScalarAsync(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'metadata';", cancellationToken).ConfigureAwait(false) is 0L)
            {
                return new(Damaged, $"{snapshot} is a SQLite file but not a CryptoSecure key store; nothing was restored.");
            }

            if (version > SqliteSchema.Version)
            {
                return new(NewerSchema, $"The snapshot {snapshot} has schema version {version}, but this release knows versions up to {SqliteSchema.Version}: restore it with that release or newer.");
            }

            await using var check = connection.CreateCommand();
            check.CommandText = "SELECT value FROM metadata WHERE key = $key;";
            check.Parameters.AddWithValue("$key", StoreMetadata.MasterKeyCheck);
            var stored = await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
            if (stored is not null && masterKeys.MatchingCheckValue(stored) is null)
            {
                check.Parameters["$key"].Value = StoreMetadata.MasterKeyCheckId;
                var id = await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] b ? System.Text.Encoding.ASCII.GetString(b) : "unknown (a store of the first release)";
                return new(WrongMasterKey, $"No configured master key is the snapshot's (it needs master key id {id}; configured: {string.Join(", ", masterKeys.Ids)}). Set it as Security:MasterKey or in Security:PreviousMasterKeys; nothing was restored.");
            }

            if (version >= SqliteSchema.MasterKeyIdsVersion)
            {
                var needed = new List<string>();
                await using var ids = connection.CreateCommand();
                ids.CommandText = "SELECT sealed_by FROM key_versions WHERE sealed_by IS NOT NULL UNION SELECT signing_sealed_by FROM key_versions WHERE signing_sealed_by IS NOT NULL;";
                await using (var reader = await ids.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (masterKeys.Find(reader.GetString(0)) is null)
                        {
                            needed.Add(reader.GetString(0));
                        }
                    }
                }

                if (needed.Count > 0)
                {
                    return new(WrongMasterKey, $"The snapshot holds keys sealed under master key id(s) {string.Join(", ", needed.Order(StringComparer.Ordinal))}, which no configured key has (configured: {string.Join(", ", masterKeys.Ids)}). Add them to Security:PreviousMasterKeys; nothing was restored.");
                }
            }

            return null;
        }
        catch (SqliteException ex)
        {
            return new(Damaged, $"The snapshot {snapshot} cannot be read as a SQLite database ({ex.SqliteErrorCode}: {First(ex.Message)}); nothing was restored.");
        }
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string First(string? text) => (text ?? "no answer").Split('\n')[0].Trim();
}
