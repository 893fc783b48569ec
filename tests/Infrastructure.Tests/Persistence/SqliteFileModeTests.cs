using System.Runtime.Versioning;
using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using CryptoSecure.Infrastructure.Tests.FileSystem;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>
/// The SQLite store's directory and files are owner-only from their first byte on (under a umask of
/// 000, so nothing passes by the umask's grace), and a store an older release left wider is narrowed.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SqliteFileModeTests : PermissiveUmask
{
    private readonly CapturingLogger<SqliteKeyStore> _logger = new();

    private string DataDirectory => Path.Combine(Temp, "data");

    private string DatabasePath => Path.Combine(DataDirectory, "store.db");

    [SkippableFact]
    public async Task A_new_store_creates_its_directory_0700_and_every_file_0600()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var store = SqliteStore.Open(DatabasePath, logger: _logger);

        await store.Admin.InitializeAsync(default);
        var identity = KeyStoreFixtures.NewIdentity("modes@example.com");
        await store.KeyStore.CreateAsync(identity, [KeyStoreFixtures.Registered(identity)], default);

        // The pooled connection is still open, so the WAL and shared-memory files exist.
        File.GetUnixFileMode(DataDirectory).Should().Be(OwnerOnlyDirectory);
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
        {
            File.Exists(file).Should().BeTrue(file);
            File.GetUnixFileMode(file).Should().Be(OwnerOnlyFile, file);
        }

        _logger.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning, "nothing was wider than owner-only to narrow");
    }

    [SkippableFact]
    public async Task A_store_used_before_initialization_creates_no_file_with_SQLites_default_mode()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        Directory.CreateDirectory(DataDirectory);
        var store = SqliteStore.Open(DatabasePath, logger: _logger);

        var act = () => store.Admin.PingAsync(default);

        await act.Should().ThrowAsync<StoreUnavailableException>();
        File.Exists(DatabasePath).Should().BeFalse("only initialization creates the file, owner-only");
    }

    [SkippableFact]
    public async Task A_store_left_readable_by_others_is_narrowed_with_a_warning_and_keeps_its_data()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var check = RandomNumberGenerator.GetBytes(32);
        var first = SqliteStore.Open(DatabasePath);
        await first.Admin.InitializeAsync(default);
        await first.Admin.EnsureMasterKeyCheckAsync(check, default);
        SqliteConnection.ClearAllPools();

        // As the first release could leave it: directory 0755, database 0644, an empty WAL 0644.
        const UnixFileMode readableByOthers = UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(DataDirectory, OwnerOnlyDirectory | readableByOthers | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(DatabasePath, OwnerOnlyFile | readableByOthers);
        await File.WriteAllBytesAsync(DatabasePath + "-wal", []);
        File.SetUnixFileMode(DatabasePath + "-wal", OwnerOnlyFile | readableByOthers);

        var again = SqliteStore.Open(DatabasePath, logger: _logger);
        await again.Admin.InitializeAsync(default);

        File.GetUnixFileMode(DataDirectory).Should().Be(OwnerOnlyDirectory);
        File.GetUnixFileMode(DatabasePath).Should().Be(OwnerOnlyFile);
        File.GetUnixFileMode(DatabasePath + "-wal").Should().Be(OwnerOnlyFile);
        _logger.Entries.Where(e => e.Level >= LogLevel.Warning).Should().HaveCount(3)
            .And.OnlyContain(e => e.Level == LogLevel.Warning && e.Message.Contains("narrowed", StringComparison.Ordinal));
        (await again.Admin.EnsureMasterKeyCheckAsync(RandomNumberGenerator.GetBytes(32), default)).Should().Equal(check);
    }
}
