using System.Runtime.Versioning;
using CryptoSecure.Infrastructure.FileSystem;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Tests.FileSystem;

/// <summary>
/// Directories 0700 and files 0600 from the moment they exist; what already exists wider is
/// narrowed (others could only read) or refused (others could write).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyFilesTests : PermissiveUmask
{
    private const string Settings = "Storage:DataDirectory";

    private readonly CapturingLogger<OwnerOnlyFilesTests> _logger = new();

    [SkippableFact]
    public void A_missing_directory_is_created_owner_only_and_so_are_its_missing_parents()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var parent = Path.Combine(Temp, "srv");
        var directory = Path.Combine(parent, "data");

        OwnerOnlyFiles.PrepareDirectory(directory, Settings, _logger);

        File.GetUnixFileMode(directory).Should().Be(OwnerOnlyDirectory);
        File.GetUnixFileMode(parent).Should().Be(OwnerOnlyDirectory);
        _logger.Entries.Should().BeEmpty();
    }

    [SkippableFact]
    public void An_existing_directory_that_others_can_only_read_is_narrowed_with_a_warning()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var directory = Directory.CreateDirectory(Path.Combine(Temp, "data"), OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute).FullName;

        OwnerOnlyFiles.PrepareDirectory(directory, Settings, _logger);

        File.GetUnixFileMode(directory).Should().Be(OwnerOnlyDirectory);
        var warning = _logger.Entries.Should().ContainSingle().Which;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Contain(directory).And.Contain("0755").And.Contain("0700");
    }

    [SkippableTheory]
    [InlineData(UnixFileMode.GroupWrite)]
    [InlineData(UnixFileMode.OtherWrite)]
    [InlineData(UnixFileMode.OtherWrite | UnixFileMode.OtherRead | UnixFileMode.OtherExecute | UnixFileMode.StickyBit)]
    public void A_directory_that_others_can_write_is_refused_and_left_as_it_is(UnixFileMode extra)
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var directory = Directory.CreateDirectory(Path.Combine(Temp, "shared")).FullName;
        File.SetUnixFileMode(directory, OwnerOnlyDirectory | extra);

        var act = () => OwnerOnlyFiles.PrepareDirectory(directory, Settings, _logger);

        act.Should().Throw<StartupConfigurationException>()
            .Which.Message.Should().Contain(directory).And.Contain("written by other users").And.Contain(Settings);
        File.GetUnixFileMode(directory).Should().Be(OwnerOnlyDirectory | extra, "a shared directory is not ours to change");
    }

    [SkippableFact]
    public void An_owner_only_directory_is_left_alone_without_a_warning()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var directory = Directory.CreateDirectory(Path.Combine(Temp, "data"), OwnerOnlyDirectory).FullName;

        OwnerOnlyFiles.PrepareDirectory(directory, Settings, _logger);

        File.GetUnixFileMode(directory).Should().Be(OwnerOnlyDirectory);
        _logger.Entries.Should().BeEmpty();
    }

    [SkippableFact]
    public void A_missing_file_is_created_empty_and_owner_only()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var file = Path.Combine(Temp, "store.db");

        OwnerOnlyFiles.CreateOrNarrowFile(file, Settings, _logger);

        new FileInfo(file).Length.Should().Be(0);
        File.GetUnixFileMode(file).Should().Be(OwnerOnlyFile);
        _logger.Entries.Should().BeEmpty();
    }

    [SkippableFact]
    public void An_existing_file_that_others_can_read_is_narrowed_keeping_its_content()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var file = Path.Combine(Temp, "store.db");
        File.WriteAllText(file, "kept");
        File.SetUnixFileMode(file, OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        OwnerOnlyFiles.CreateOrNarrowFile(file, Settings, _logger);

        File.GetUnixFileMode(file).Should().Be(OwnerOnlyFile);
        File.ReadAllText(file).Should().Be("kept");
        _logger.Entries.Should().ContainSingle().Which.Message.Should().Contain(file).And.Contain("0644");
    }

    [SkippableFact]
    public void Narrowing_a_file_that_does_not_exist_creates_nothing()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var file = Path.Combine(Temp, "store.db-wal");

        OwnerOnlyFiles.NarrowFileIfExists(file, Settings, _logger);

        File.Exists(file).Should().BeFalse();
    }

    /// <summary>
    /// Why creating the database file first is enough: SQLite creates its -wal, -shm and -journal
    /// files with the database file's mode (not its default 0644, not the umask), so they are never
    /// wider than the file they belong to.
    /// </summary>
    [SkippableTheory]
    [InlineData(OwnerOnlyFile)]
    [InlineData(OwnerOnlyFile | UnixFileMode.GroupRead)]
    public async Task SQLite_gives_its_wal_shm_and_journal_files_the_database_files_mode(UnixFileMode databaseMode)
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var database = Path.Combine(Temp, "store.db");
        OwnerOnlyFiles.CreateOrNarrowFile(database, Settings, _logger);
        File.SetUnixFileMode(database, databaseMode);

        await using (var connection = await OpenAsync(database))
        {
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; CREATE TABLE t (x BLOB); INSERT INTO t VALUES (randomblob(10000));");
            File.GetUnixFileMode(database + "-wal").Should().Be(databaseMode);
            File.GetUnixFileMode(database + "-shm").Should().Be(databaseMode);
        }

        await using (var connection = await OpenAsync(database))
        {
            await ExecuteAsync(connection, "PRAGMA journal_mode=DELETE; BEGIN IMMEDIATE; INSERT INTO t VALUES (randomblob(10000));");
            File.GetUnixFileMode(database + "-journal").Should().Be(databaseMode, "a rollback journal exists while the write transaction is open");
            await ExecuteAsync(connection, "ROLLBACK;");
        }
    }

    [SkippableFact]
    public void The_restricted_umask_makes_whatever_else_the_process_creates_owner_only()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);

        OwnerOnlyFiles.RestrictProcessUmask().Should().BeTrue();

        var file = Path.Combine(Temp, "other.txt");
        File.WriteAllText(file, "x");
        var directory = Directory.CreateDirectory(Path.Combine(Temp, "other")).FullName;
        File.GetUnixFileMode(file).Should().Be(OwnerOnlyFile);
        File.GetUnixFileMode(directory).Should().Be(OwnerOnlyDirectory);
    }

    private static async Task<SqliteConnection> OpenAsync(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
