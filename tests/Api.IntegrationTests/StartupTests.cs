using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Master-key discipline at start-up. Refusals are checked on the real server process: it must
/// exit non-zero and say on stderr which setting to provide.
/// </summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Production_without_a_master_key_refuses_to_start_and_says_what_to_set()
    {
        using var dataDirectory = new TempDirectory();

        var (exitCode, error) = await ServerProcess.RunUntilExitAsync("Production", dataDirectory.Path, masterKey: null);

        exitCode.Should().Be(1);
        error.Should().Contain("CryptoSecure cannot start").And.Contain("Security:MasterKey").And.Contain("Security:MasterKeyFile").And.Contain("Production");
    }

    [Fact]
    public async Task A_master_key_that_is_not_32_bytes_of_base64_refuses_to_start_without_echoing_it()
    {
        using var dataDirectory = new TempDirectory();
        const string bad = "c2hvcnQta2V5";

        var (exitCode, error) = await ServerProcess.RunUntilExitAsync("Production", dataDirectory.Path, masterKey: bad);

        exitCode.Should().Be(1);
        error.Should().Contain("Security:MasterKey").And.NotContain(bad);
    }

    [Fact]
    public async Task A_short_admin_key_refuses_to_start()
    {
        using var dataDirectory = new TempDirectory();

        var (exitCode, error) = await ServerProcess.RunUntilExitAsync(
            "Production", dataDirectory.Path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), new Dictionary<string, string> { ["Security__AdminApiKeys__0"] = "admin" });

        exitCode.Should().Be(1);
        error.Should().Contain("Security:AdminApiKeys").And.Contain("at least 32 characters");
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

        var (exitCode, error) = await ServerProcess.RunUntilExitAsync("Production", dataDirectory.Path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        exitCode.Should().Be(1);
        error.Should().Contain("not the one this key store was created with");
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

        var (exitCode, error) = await ServerProcess.RunUntilExitAsync("Production", dataDirectory.Path, Upgrade.FirstReleaseStore.MasterKey);

        exitCode.Should().Be(1);
        error.Should().Contain("CryptoSecure cannot start").And.Contain("schema version 99").And.Contain("newer").And.Contain("left unchanged").And.NotContain("   at ");
        SHA256.HashData(await File.ReadAllBytesAsync(store)).Should().Equal(before);
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

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cryptosecure-startup-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

/// <summary>Runs the built server (CryptoSecure.Api.dll beside the tests) as its own process.</summary>
internal static class ServerProcess
{
    public static async Task<(int ExitCode, string Error)> RunUntilExitAsync(string environment, string dataDirectory, string? masterKey, IDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "CryptoSecure.Api.dll"), "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Security__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Keys__Pool__2048"] = "0";
        start.Environment["Keys__Pool__3072"] = "0";
        start.Environment["Keys__Pool__4096"] = "0";
        if (masterKey is not null)
        {
            start.Environment["Security__MasterKey"] = masterKey;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The server did not exit: it started although it should have refused to. Output: " + await output);
        }

        return (process.ExitCode, await error);
    }
}
