using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Backups over the real process: an admin downloads an online snapshot while the server runs; the
/// server's restore verb checks it (integrity, schema, master key) and writes a new owner-only
/// store, never over an existing file; a server on the restored store decrypts what was encrypted
/// before the backup.
/// </summary>
public sealed class BackupAndRestoreTests : IDisposable
{
    private static readonly string AdminKey = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    private readonly string _root = Directory.CreateTempSubdirectory("cryptosecure-backup-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [SkippableFact]
    public async Task A_snapshot_taken_online_restores_into_a_new_store_that_decrypts_everything_and_restore_refuses_what_it_must()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes and the umask wrapper: the server process runs under /bin/sh.");
        var masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var data = Directory.CreateDirectory(Path.Combine(_root, "data")).FullName;
        var snapshot = Path.Combine(_root, "snapshot.db");
        var written = new List<(string Email, string ApiKey, string Ciphertext)>();
        var (server, http) = await ServerProcess.StartAsync("Production", data, masterKey, Settings(), umask: "077");
        await using (server)
        {
            using var api = new ApiClient(http);
            for (var i = 0; i < 3; i++)
            {
                var identity = await api.RegisterAsync(keySize: 2048);
                written.Add((identity.Email, identity.ApiKey, await api.EncryptAsync(identity.Email, $"backed up {i}")));
            }

            await ApiClient.ShouldBeProblemAsync(await api.GetAsync("/api/v1/admin/backup"), HttpStatusCode.Unauthorized);
            await ApiClient.ShouldBeProblemAsync(await api.GetAsync("/api/v1/admin/backup", written[0].ApiKey), HttpStatusCode.Forbidden);

            using var response = await api.GetAsync("/api/v1/admin/backup", AdminKey);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.sqlite3");
            response.Content.Headers.ContentDisposition!.FileName.Should().StartWith("cryptosecure-");
            await File.WriteAllBytesAsync(snapshot, await response.Content.ReadAsByteArrayAsync());
            // The server deletes it once the answer is complete, which may be just after the client has the last byte.
            for (var i = 0; i < 100 && Directory.EnumerateFiles(data, ".cryptosecure-snapshot-*").Any(); i++)
            {
                await Task.Delay(50);
            }

            Directory.EnumerateFiles(data, ".cryptosecure-snapshot-*").Should().BeEmpty("the temporary snapshot is deleted once streamed");

            // The server keeps working after the snapshot, and what is written after it is not in it.
            await api.RegisterAsync(keySize: 2048);
        }

        var bytes = await File.ReadAllBytesAsync(snapshot);
        bytes.AsSpan(0, 16).ToArray().Should().Equal("SQLite format 3\0"u8.ToArray());
        foreach (var (_, apiKey, _) in written)
        {
            bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(apiKey)).Should().Be(-1, "API keys are stored hashed only");
        }

        // Refusals: a wrong master key, an existing target, a damaged snapshot. Each leaves nothing behind.
        var restoreDir = Directory.CreateDirectory(Path.Combine(_root, "restored")).FullName;
        var target = Path.Combine(restoreDir, "cryptosecure.db");
        var wrongKey = await ServerProcess.RunVerbAsync(["restore", snapshot, "--to", target], Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        wrongKey.ExitCode.Should().Be(6, wrongKey.Error);
        wrongKey.Error.Should().Contain("master key id").And.NotContain(masterKey);
        var damaged = Path.Combine(_root, "damaged.db");
        var broken = (byte[])bytes.Clone();
        RandomNumberGenerator.Fill(broken.AsSpan(4096, 4096));
        await File.WriteAllBytesAsync(damaged, broken);
        var damagedExit = await ServerProcess.RunVerbAsync(["restore", damaged, "--to", target], masterKey);
        damagedExit.ExitCode.Should().Be(4, damagedExit.Output + damagedExit.Error);
        damagedExit.Error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("nothing was restored");
        Directory.EnumerateFileSystemEntries(restoreDir).Should().BeEmpty("a refused restore leaves nothing");

        var restored = await ServerProcess.RunVerbAsync(["restore", snapshot, "--to", target], masterKey);
        restored.ExitCode.Should().Be(0, restored.Error);
        restored.Output.Should().Contain(target);
#pragma warning disable CA1416 // skipped on Windows above
        File.GetUnixFileMode(target).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
#pragma warning restore CA1416
        Directory.EnumerateFileSystemEntries(restoreDir).Should().Equal(target);

        var again = await ServerProcess.RunVerbAsync(["restore", snapshot, "--to", target], masterKey);
        again.ExitCode.Should().Be(3, again.Error);
        again.Error.Should().Contain("never overwrites");
        var inUse = await ServerProcess.RunVerbAsync(["restore", snapshot, "--to", Path.Combine(data, "cryptosecure.db")], masterKey);
        inUse.ExitCode.Should().Be(3, "the running store's file exists: never overwritten");

        // A server on the restored store decrypts what was encrypted before the backup.
        var (second, secondHttp) = await ServerProcess.StartAsync("Production", restoreDir, masterKey, Settings(), umask: "077");
        await using (second)
        {
            using var api = new ApiClient(secondHttp);
            foreach (var (email, apiKey, ciphertext) in written)
            {
                var decrypted = await api.DecryptAsync(email, ciphertext, apiKey);
                decrypted.StatusCode.Should().Be(HttpStatusCode.OK);
            }
        }
    }

    private static Dictionary<string, string> Settings() => new()
    {
        ["Security__AdminApiKeys__0"] = AdminKey,
        ["Keys__DefaultKeySize"] = "2048",
        ["RateLimiting__Enabled"] = "false",
    };
}
