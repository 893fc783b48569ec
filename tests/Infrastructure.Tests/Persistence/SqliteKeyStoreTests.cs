using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Data.Sqlite;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>The key-store contract, on SQLite (always runs).</summary>
public sealed class SqliteKeyStoreContractTests : KeyStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cryptosecure-sqlite-").FullName;

    protected override Task<KeyStoreAdapter> CreateStoreAsync() =>
        Task.FromResult(SqliteStore.Open(Path.Combine(_directory, "store.db")));

    protected override Task DestroyStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>What only the SQLite adapter promises: durability settings, file hygiene, secure deletion.</summary>
public sealed class SqliteKeyStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cryptosecure-sqlite-").FullName;

    private string DatabasePath => Path.Combine(_directory, "store.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_database_is_in_WAL_mode_and_readable_only_by_its_owner()
    {
        var store = SqliteStore.Open(DatabasePath);
        await store.Admin.InitializeAsync(default);

        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        (await command.ExecuteScalarAsync()).Should().Be("wal");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(DatabasePath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task Audit_events_cannot_be_altered_or_removed_even_with_direct_SQL()
    {
        var store = SqliteStore.Open(DatabasePath);
        await store.Admin.InitializeAsync(default);
        var identity = KeyStoreFixtures.NewIdentity("audit@example.com");
        await store.KeyStore.CreateAsync(identity, [KeyStoreFixtures.Registered(identity)], default);

        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE audit_events SET outcome = 'Failure';";
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM audit_events;";

        await ((Func<Task>)(() => update.ExecuteNonQueryAsync())).Should().ThrowAsync<SqliteException>().WithMessage("*append-only*");
        await ((Func<Task>)(() => delete.ExecuteNonQueryAsync())).Should().ThrowAsync<SqliteException>().WithMessage("*append-only*");
        (await store.AuditTrail.ReadAsync(identity.Id, null, null, 10, default)).Events.Should().ContainSingle(e => e.Outcome == AuditOutcome.Success);
    }

    [Fact]
    public async Task After_delete_no_file_of_the_store_holds_the_sealed_key_bytes()
    {
        var store = SqliteStore.Open(DatabasePath);
        await store.Admin.InitializeAsync(default);
        var marker = Encoding.ASCII.GetBytes("SEALED-KEY-MARKER-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        var sealedBytes = RandomNumberGenerator.GetBytes(1800);
        marker.CopyTo(sealedBytes, 700);
        var identity = KeyStoreFixtures.NewIdentity("shred@example.com", sealedBytes: sealedBytes);
        await store.KeyStore.CreateAsync(identity, [KeyStoreFixtures.Registered(identity)], default);
        var rotated = KeyStoreFixtures.Rotated(identity, sealedBytes: sealedBytes);
        await store.KeyStore.SaveAsync(rotated, 1, [KeyStoreFixtures.Event(identity, AuditAction.Rotated, 2)], default);
        StoreFilesContain(marker).Should().BeTrue("the test must see the sealed bytes before the delete to prove anything");

        await store.KeyStore.DeleteAsync(identity.Id, KeyStoreFixtures.Event(identity, AuditAction.Deleted, 2), default);

        StoreFilesContain(marker).Should().BeFalse("secure_delete and a WAL checkpoint leave no copy of a deleted sealed key");
    }

    [Fact]
    public async Task A_database_path_that_cannot_be_created_reports_the_store_unavailable()
    {
        var blocker = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var store = SqliteStore.Open(Path.Combine(blocker, "store.db"));

        var act = () => store.Admin.PingAsync(default);

        await act.Should().ThrowAsync<StoreUnavailableException>();
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_refuses_to_start_naming_the_path_and_the_setting()
    {
        await File.WriteAllTextAsync(DatabasePath, "this is not an SQLite database, and it is long enough to have a header of sorts");
        var store = SqliteStore.Open(DatabasePath);

        var act = () => store.Admin.InitializeAsync(default);

        (await act.Should().ThrowAsync<StartupConfigurationException>())
            .Which.Message.Should().Contain(DatabasePath).And.Contain("KeyStore:Sqlite:Path").And.Contain("not a database");
    }

    private bool StoreFilesContain(byte[] marker)
    {
        SqliteConnection.ClearAllPools();
        return Directory.EnumerateFiles(_directory)
            .Where(f => Path.GetFileName(f).StartsWith("store.db", StringComparison.Ordinal))
            .Any(f => File.ReadAllBytes(f).AsSpan().IndexOf(marker) >= 0);
    }
}
