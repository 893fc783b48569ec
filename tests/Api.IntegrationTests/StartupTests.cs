using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Master-key discipline and refusals at start-up, on the real server process: a configuration it
/// cannot run with ends it with exit code 1 and exactly one line on stderr that says what to set,
/// and no stack trace anywhere (not from Program, not from the host's own log).
/// </summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Production_without_a_master_key_refuses_to_start_and_says_what_to_set()
    {
        using var dataDirectory = new TempDirectory();

        var exit = await ServerProcess.RunUntilExitAsync("Production", dataDirectory.Path, masterKey: null);

        exit.ShouldBeOneLineRefusal("Security:MasterKey", "Security:MasterKeyFile", "Production");
    }

    [Fact]
    public async Task A_master_key_that_is_not_32_bytes_of_base64_refuses_to_start_without_echoing_it()
    {
        using var dataDirectory = new TempDirectory();
        const string bad = "c2hvcnQta2V5";

        var exit = await ServerProcess.RunUntilExitAsync("Production", dataDirectory.Path, masterKey: bad);

        exit.ShouldBeOneLineRefusal("Security:MasterKey");
        (exit.Output + exit.Error).Should().NotContain(bad);
    }

    [Fact]
    public async Task A_short_admin_key_refuses_to_start()
    {
        using var dataDirectory = new TempDirectory();

        var exit = await ServerProcess.RunUntilExitAsync(
            "Production", dataDirectory.Path, NewMasterKey(), new Dictionary<string, string> { ["Security__AdminApiKeys__0"] = "admin" });

        exit.ShouldBeOneLineRefusal("Security:AdminApiKeys", "at least 32 characters");
    }

    [Fact]
    public async Task An_invalid_option_value_refuses_to_start_naming_the_setting()
    {
        using var dataDirectory = new TempDirectory();

        var exit = await ServerProcess.RunUntilExitAsync(
            "Production", dataDirectory.Path, NewMasterKey(), new Dictionary<string, string> { ["Keys__DefaultKeySize"] = "1000" });

        exit.ShouldBeOneLineRefusal("Keys:DefaultKeySize", "2048, 3072 or 4096");
    }

    [Theory]
    [InlineData("Encryption__MaxPlaintextBytes", "0", "Encryption:MaxPlaintextBytes")]
    [InlineData("RateLimiting__Public__PermitLimit", "0", "RateLimiting:Public:PermitLimit")]
    [InlineData("Limits__MaxRequestBodyBytes", "10", "Limits:MaxRequestBodyBytes")]
    [InlineData("Keys__DefaultKeySize", "abc", "Keys:DefaultKeySize")]
    [InlineData("KeyStore__Sqlite__BusyTimeoutSeconds", "soon", "KeyStore:Sqlite:BusyTimeoutSeconds")]
    [InlineData("ShutdownTimeoutSeconds", "soon", "ShutdownTimeoutSeconds")]
    [InlineData("ShutdownTimeoutSeconds", "-1", "ShutdownTimeoutSeconds")]
    public async Task A_value_out_of_range_or_of_the_wrong_type_refuses_to_start_naming_its_full_path(string variable, string value, string path)
    {
        using var dataDirectory = new TempDirectory();

        var exit = await ServerProcess.RunUntilExitAsync(
            "Production", dataDirectory.Path, NewMasterKey(), new Dictionary<string, string> { [variable] = value });

        exit.ShouldBeOneLineRefusal(path);
    }

    [Fact]
    public async Task An_unknown_key_store_provider_refuses_to_start_naming_the_setting()
    {
        using var dataDirectory = new TempDirectory();

        var exit = await ServerProcess.RunUntilExitAsync(
            "Production", dataDirectory.Path, NewMasterKey(), new Dictionary<string, string> { ["KeyStore__Provider"] = "Postgres" });

        exit.ShouldBeOneLineRefusal("KeyStore:Provider", "Sqlite", "Mongo");
    }

    [Fact]
    public async Task A_store_file_that_is_not_a_database_refuses_to_start_naming_the_setting_and_keeps_its_content()
    {
        using var dataDirectory = new TempDirectory();
        var notADatabase = Path.Combine(dataDirectory.Path, "notes.txt");
        const string content = "these are notes, not an SQLite database; long enough to have a header";
        await File.WriteAllTextAsync(notADatabase, content);

        var exit = await ServerProcess.RunUntilExitAsync(
            "Production", dataDirectory.Path, NewMasterKey(), new Dictionary<string, string> { ["KeyStore__Sqlite__Path"] = notADatabase });

        exit.ShouldBeOneLineRefusal("KeyStore:Sqlite:Path", notADatabase);
        (await File.ReadAllTextAsync(notADatabase)).Should().Be(content);
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_data_directory_other_users_can_write_refuses_to_start_and_is_left_as_it_was()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only: on Windows the data directory's ACLs apply.");
        using var parent = new TempDirectory();
        var shared = Directory.CreateDirectory(Path.Combine(parent.Path, "shared")).FullName;
        const UnixFileMode everyone = (UnixFileMode)0b111_111_111;
        File.SetUnixFileMode(shared, everyone);

        var exit = await ServerProcess.RunUntilExitAsync("Production", shared, NewMasterKey());

        exit.ShouldBeOneLineRefusal(shared, "written by other users", "Storage:DataDirectory");
        File.GetUnixFileMode(shared).Should().Be(everyone);
        Directory.EnumerateFileSystemEntries(shared).Should().BeEmpty("nothing is written into a directory the server refused");
    }

    [Fact]
    public async Task A_store_opened_with_another_master_key_refuses_to_start_instead_of_failing_at_the_first_decrypt()
    {
        using var dataDirectory = new TempDirectory();
        var original = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory.Path, ["Security:MasterKey"] = original };
        string email, apiKey, ciphertext;
        using (var first = ApiFactory.With(settings))
        using (var api = first.NewClient())
        {
            var registered = await api.RegisterAsync();
            (email, apiKey) = (registered.Email, registered.ApiKey);
            ciphertext = await api.EncryptAsync(email, "kept");
        }

        var exit = await ServerProcess.RunUntilExitAsync("Production", dataDirectory.Path, NewMasterKey());

        exit.ShouldBeOneLineRefusal("not the one this key store was created with", "Security:MasterKey");
        using var again = ApiFactory.With(settings);
        using var client = again.NewClient();
        (await client.DecryptAsync(email, ciphertext, apiKey)).StatusCode.Should().Be(HttpStatusCode.OK, "the refused start must not have touched the store");
    }

    [Fact]
    public async Task A_store_of_a_newer_schema_refuses_to_start_says_why_and_is_left_unchanged()
    {
        using var dataDirectory = new TempDirectory();
        var store = Path.Combine(dataDirectory.Path, "cryptosecure.db");
        File.Copy(Path.Combine(Upgrade.FirstReleaseStore.Directory, "cryptosecure.db"), store);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            await command.ExecuteNonQueryAsync();
        }

        var before = SHA256.HashData(await File.ReadAllBytesAsync(store));

        var exit = await ServerProcess.RunUntilExitAsync("Production", dataDirectory.Path, Upgrade.FirstReleaseStore.MasterKey);

        exit.ShouldBeOneLineRefusal("schema version 99", "newer", "left unchanged");
        SHA256.HashData(await File.ReadAllBytesAsync(store)).Should().Equal(before);
    }

    [Fact]
    public async Task A_store_that_fails_the_integrity_check_refuses_to_start_says_why_and_is_left_byte_for_byte_untouched()
    {
        using var dataDirectory = new TempDirectory();
        var store = Path.Combine(dataDirectory.Path, "cryptosecure.db");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Upgrade.FirstReleaseStore.Directory, "cryptosecure.db"));

        // Page 4 holds the identities table: overwrite its cell pointers, as a torn write or a bad disk would.
        bytes.AsSpan((4096 * 3) + 8, 64).Fill(0xFF);
        await File.WriteAllBytesAsync(store, bytes);
        var before = SHA256.HashData(bytes);

        var exit = await ServerProcess.RunUntilExitAsync("Production", dataDirectory.Path, Upgrade.FirstReleaseStore.MasterKey);

        exit.ShouldBeOneLineRefusal(store, "integrity check", "quick_check", "left untouched", "restore");
        SHA256.HashData(await File.ReadAllBytesAsync(store)).Should().Equal(before, "a damaged store is not written to, not even migrated");
        Directory.EnumerateFiles(dataDirectory.Path).Should().Equal(store);
    }

    [Fact]
    public async Task Development_without_a_master_key_generates_one_in_the_data_directory_and_warns()
    {
        using var factory = ApiFactory.With(new Dictionary<string, string?> { ["Security:MasterKey"] = null }, environment: "Development");
        using var api = factory.NewClient();

        await api.RegisterAsync();

        var keyFile = Path.Combine(factory.DataDirectory, "master.key");
        File.Exists(keyFile).Should().BeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(keyFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        factory.Logs.All.Should().Contain("generated a new master key").And.NotContain((await File.ReadAllTextAsync(keyFile)).Trim());
    }

    private static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cryptosecure-startup-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
