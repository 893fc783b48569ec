using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests.Durability;

/// <summary>
/// A full disk, for real: the store on a 2 MiB tmpfs that a filler file fills. Writes answer 503
/// (ProblemDetails, Retry-After), never 500; everything acknowledged before stays readable (and
/// decrypts: once its audit event can be written); once the filler is gone the same process takes
/// writes again. Needs root (to mount):
/// otherwise it skips, saying so.
/// </summary>
public sealed class FullDiskTests
{
    private static readonly string AdminKey = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    [SkippableFact]
    public async Task A_full_disk_answers_writes_with_503_loses_nothing_acknowledged_and_writes_resume_once_space_is_back()
    {
        Skip.If(OperatingSystem.IsWindows() || Environment.UserName != "root", "Mounting a tmpfs needs root on Linux; this run is not root, so the full-disk test does not run.");
        var mountPoint = Directory.CreateTempSubdirectory("cryptosecure-fulldisk-").FullName;
        var mount = await RunAsync("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", mountPoint);
        Skip.If(mount.ExitCode != 0, $"mount -t tmpfs failed ({mount.Error.Trim()}): the full-disk test needs a mountable tmpfs.");
        try
        {
            await RunFullDiskScenarioAsync(Path.Combine(mountPoint, "data"));
        }
        finally
        {
            (await RunAsync("umount", mountPoint)).ExitCode.Should().Be(0, "the tmpfs is unmounted again");
            Directory.Delete(mountPoint);
        }
    }

    private static async Task RunFullDiskScenarioAsync(string dataDirectory)
    {
        var settings = new Dictionary<string, string>
        {
            ["Security__AdminApiKeys__0"] = AdminKey,
            ["Keys__DefaultKeySize"] = "2048",
            ["RateLimiting__Enabled"] = "false",
        };
        var (server, http) = await ServerProcess.StartAsync("Production", dataDirectory, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), settings, umask: "077");
        await using (server)
        {
            using var api = new ApiClient(http);
            var acknowledged = new List<(string Email, string ApiKey, string Ciphertext)>();
            for (var i = 0; i < 3; i++)
            {
                var identity = await api.RegisterAsync(keySize: 2048);
                acknowledged.Add((identity.Email, identity.ApiKey, await api.EncryptAsync(identity.Email, $"before the disk filled {i}")));
            }

            var filler = Path.Combine(Path.GetDirectoryName(dataDirectory)!, "filler");
            Fill(filler);

            // The WAL may still have room from earlier writes, so some writes can succeed; each that
            // does is acknowledged and must survive. Soon the disk refuses: 503, never 500.
            var refused = false;
            for (var attempt = 0; attempt < 40 && !refused; attempt++)
            {
                var email = ApiClient.NewEmail("full");
                using var response = await api.PostAsync("/api/v1/users", new { email, keySize = 2048 });
                response.StatusCode.Should().BeOneOf([HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable], await response.Content.ReadAsStringAsync());
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var body = await ApiClient.JsonAsync(response);
                    acknowledged.Add((email, (string)body["apiKey"]!, await api.EncryptAsync(email, "written while filling")));
                    Fill(filler);
                    continue;
                }

                refused = true;
                response.Headers.RetryAfter.Should().NotBeNull();
                var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
                ((string)problem["detail"]!).Should().Contain("disk is full");
            }

            refused.Should().BeTrue("a full disk must refuse writes");
            var rotation = await api.PostAsync($"/api/v1/users/{acknowledged[0].Email}/keys/rotate", new { keySize = 2048 }, acknowledged[0].ApiKey);
            rotation.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await rotation.Content.ReadAsStringAsync());
            foreach (var (email, apiKey, ciphertext) in acknowledged)
            {
                // Reads work: every acknowledged identity is there with its keys.
                (await api.GetAsync($"/api/v1/users/{email}/keys")).StatusCode.Should().Be(HttpStatusCode.OK, $"{email} was acknowledged before or while the disk filled");

                // A decryption is done only once its audit event is durable (ADR-021): with no room
                // for the event it is refused like any write, 503, never 500 and never done unrecorded.
                var decrypted = await api.DecryptAsync(email, ciphertext, apiKey);
                decrypted.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable], await decrypted.Content.ReadAsStringAsync());
            }

            File.Delete(filler);

            // Space is back: the same process takes writes again, no restart.
            var after = await api.RegisterAsync(keySize: 2048);
            (await api.PostAsync($"/api/v1/users/{acknowledged[0].Email}/keys/rotate", new { keySize = 2048 }, acknowledged[0].ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
            (await api.DecryptAsync(after.Email, await api.EncryptAsync(after.Email, "after"), after.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
            foreach (var (email, apiKey, ciphertext) in acknowledged)
            {
                var decrypted = await api.DecryptAsync(email, ciphertext, apiKey);
                decrypted.StatusCode.Should().Be(HttpStatusCode.OK, $"{email} was acknowledged, so it is kept and decrypts once space is back");
            }

            server.Output.Should().NotContain("Unhandled exception");
            await server.TerminateAsync();
            (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).ExitCode.Should().Be(0);
        }
    }

    /// <summary>Appends to <paramref name="path"/> until the file system says it is full.</summary>
    private static void Fill(string path)
    {
        var block = new byte[64 * 1024];
        // Unbuffered: nothing is left to flush (and fail) at dispose.
        using var filler = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                filler.Write(block);
                filler.Flush(flushToDisk: true);
            }
        }
        catch (IOException)
        {
            // Full.
        }

        // Smaller pieces, down to the last free block.
        for (var size = block.Length / 2; size >= 512; size /= 2)
        {
            try
            {
                filler.Write(block, 0, size);
                filler.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<(int ExitCode, string Error)> RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        try
        {
            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
