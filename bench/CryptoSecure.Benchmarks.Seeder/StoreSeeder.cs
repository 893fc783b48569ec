using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace CryptoSecure.Benchmarks.Seeder;

/// <summary>What to seed: <see cref="Identities"/> one-version identities, and one identity whose ring has <see cref="RingVersions"/> versions.</summary>
internal sealed record SeedPlan(int Identities, int RingVersions)
{
    /// <summary>The address of the long-ring identity.</summary>
    public const string RingEmail = "ring@seed.bench.example.com";

    /// <summary>The address of seeded identity <paramref name="index"/>.</summary>
    public static string EmailOf(int index) => string.Create(CultureInfo.InvariantCulture, $"seed-{index:D7}@seed.bench.example.com");
}

/// <summary>
/// Writes identities into a SQLite store the way <see cref="SqliteKeyStore.CreateAsync"/> and
/// <see cref="SqliteKeyStore.SaveAsync"/> do: the store's own initialization (schema migrations,
/// master-key check value), the adapter's row mapping (<c>SqliteRows</c>) and audit insert, the
/// same INSERT statements, each private key sealed by <see cref="AesGcmKeyProtector"/> for its own
/// identity and version. The difference is the transaction: thousands of identities share one
/// commit, because one fsync per identity would take hours for a million. The RSA keys themselves
/// are reused (generating a million would take days); only their sealing is per identity.
/// </summary>
internal sealed class StoreSeeder : IAsyncDisposable
{
    private const int IdentitiesPerTransaction = 20_000;

    // As in SqliteKeyStore.CreateAsync and its AppendAsync; keep them in step with it.
    private const string InsertIdentity = """
        INSERT INTO identities (id, email_normalized, email_display, api_key_hash, exportable, min_decryption_version, created_at, revision)
        VALUES ($id, $email, $display, $hash, $exportable, $min, $created, $revision);
        """;

    private const string InsertKeyVersion = """
        INSERT INTO key_versions (identity_id, version, key_size, public_key, sealed_private_key, created_at)
        VALUES ($id, $version, $size, $public, $sealed, $created);
        """;

    private readonly SqliteConnection _connection;
    private readonly MasterKey _masterKey;
    private readonly AesGcmKeyProtector _protector;
    private readonly ApiKeyIssuer _apiKeys = new();
    private readonly byte[] _publicKey;
    private readonly byte[] _privateKey;

    private StoreSeeder(SqliteConnection connection, MasterKey masterKey)
    {
        _connection = connection;
        _masterKey = masterKey;
        _protector = new AesGcmKeyProtector(masterKey);
        using var rsa = RSA.Create(2048);
        _publicKey = rsa.ExportSubjectPublicKeyInfo();
        _privateKey = rsa.ExportPkcs8PrivateKey();
    }

    /// <summary>Creates the store at <paramref name="path"/> with the adapter's own initialization and opens it for seeding.</summary>
    public static async Task<StoreSeeder> OpenAsync(string path, byte[] masterKeyBytes)
    {
        var masterKey = new MasterKey(masterKeyBytes);
        using (var store = SqliteStore.Open(path))
        {
            await store.Admin.InitializeAsync(CancellationToken.None);
            var stored = await store.Admin.EnsureMasterKeyCheckAsync(masterKey.CheckValue, CancellationToken.None);
            if (!masterKey.Matches(stored))
            {
                masterKey.Dispose();
                throw new InvalidOperationException($"{path} was seeded under another master key; delete it to seed again.");
            }
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await connection.OpenAsync();

        // The server's durability settings, plus a page cache large enough that the random-order
        // index inserts (API key hashes, version-7 Guids stored little-endian) stay in memory.
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144;";
        await pragmas.ExecuteNonQueryAsync();
        return new StoreSeeder(connection, masterKey);
    }

    /// <summary>Seeds the plan; the ring identity's API key is written to <paramref name="ringKeyFile"/> (owner-only).</summary>
    public async Task SeedAsync(SeedPlan plan, string ringKeyFile, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(progress);
        var now = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < plan.Identities; start += IdentitiesPerTransaction)
        {
            var end = Math.Min(plan.Identities, start + IdentitiesPerTransaction);
            await InTransactionAsync(async writer =>
            {
                for (var i = start; i < end; i++)
                {
                    var email = EmailAddress.Parse(SeedPlan.EmailOf(i));
                    var id = Guid.CreateVersion7(now);
                    var first = NewVersion(id, email, 1, now);
                    var identity = Identity.Register(id, email, _apiKeys.Issue().Hash, exportable: true, first, now);
                    await writer.WriteAsync(identity, [Registered(id, now)]);
                }
            });

            if (end % 100_000 == 0 || end == plan.Identities)
            {
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {end:N0} identities, {clock.Elapsed.TotalSeconds:F1} s"));
            }
        }

        if (plan.RingVersions > 0)
        {
            var ringKey = await SeedRingAsync(plan.RingVersions, now);
            File.WriteAllText(ringKeyFile, string.Empty);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(ringKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(ringKeyFile, ringKey);
        }

        // Leave no WAL behind: the copy the benchmark starts the server on is then one file.
        await using var checkpoint = _connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _masterKey.Dispose();
        CryptographicOperations.ZeroMemory(_privateKey);
    }

    /// <summary>One identity rotated to <paramref name="versions"/> versions, as that many rotations would have saved it.</summary>
    private async Task<string> SeedRingAsync(int versions, DateTimeOffset now)
    {
        var email = EmailAddress.Parse(SeedPlan.RingEmail);
        var id = Guid.CreateVersion7(now);
        var apiKey = _apiKeys.Issue();
        var identity = Identity.Register(id, email, apiKey.Hash, exportable: true, NewVersion(id, email, 1, now), now);
        var events = new List<AuditEvent> { Registered(id, now) };
        for (var version = 2; version <= versions; version++)
        {
            identity = identity.Rotate(NewVersion(id, email, version, now));
            events.Add(new AuditEvent(id, now, AuditAction.Rotated, AuditOutcome.Success, AuditActor.Owner, version, null, null));
        }

        await InTransactionAsync(writer => writer.WriteAsync(identity, events));
        return apiKey.Key;
    }

    private KeyVersion NewVersion(Guid id, EmailAddress email, int version, DateTimeOffset now) =>
        new(version, KeySize.FromBits(2048), _publicKey, _protector.Seal(_privateKey, new KeyBinding(id, email.Normalized, version)), now);

    private static AuditEvent Registered(Guid id, DateTimeOffset now) =>
        new(id, now, AuditAction.Registered, AuditOutcome.Success, AuditActor.Anonymous, 1, null, null);

    private async Task InTransactionAsync(Func<RowWriter, Task> work)
    {
        // Microsoft.Data.Sqlite begins IMMEDIATE by default, as the store's own transactions do.
        await using var transaction = _connection.BeginTransaction();
        await using var writer = new RowWriter(_connection, transaction);
        await work(writer);
        await transaction.CommitAsync();
    }

    /// <summary>The identity and key-version statements, prepared once per transaction and re-bound per row.</summary>
    private sealed class RowWriter(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        private readonly SqliteCommand _identity = SqliteStoreConnection.Command(connection, InsertIdentity, transaction);
        private readonly SqliteCommand _keyVersion = SqliteStoreConnection.Command(connection, InsertKeyVersion, transaction);

        public async Task WriteAsync(Identity identity, IReadOnlyList<AuditEvent> events)
        {
            _identity.Parameters.Clear();
            SqliteRows.AddIdentity(_identity.Parameters, identity);
            _identity.ExecuteNonQuery();
            foreach (var version in identity.Keys.Versions)
            {
                _keyVersion.Parameters.Clear();
                SqliteRows.AddKeyVersion(_keyVersion.Parameters, identity.Id, version);
                _keyVersion.ExecuteNonQuery();
            }

            foreach (var auditEvent in events)
            {
                await SqliteAuditTrail.InsertAsync(connection, transaction, auditEvent, CancellationToken.None);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _identity.DisposeAsync();
            await _keyVersion.DisposeAsync();
        }
    }
}
