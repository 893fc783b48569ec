using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// On the real server process, started the way a shell would start it (umask 022): the data
/// directory it creates is 0700, and the store, its WAL and shared-memory files and the Development
/// master key are 0600 while it runs. Nothing in the server narrows a file it created after the fact
/// (the unit tests show each is created with that mode), so the mode seen here is the mode each file
/// has had since it was created.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class StoreFileModeTests
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    [SkippableFact]
    public async Task A_fresh_data_directory_and_every_file_in_it_are_owner_only_in_the_running_server()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only: on Windows the data directory's ACLs apply.");
        var parent = Directory.CreateTempSubdirectory("cryptosecure-modes-").FullName;
        try
        {
            var dataDirectory = Path.Combine(parent, "data");
            var (server, http) = await ServerProcess.StartAsync(
                "Development", dataDirectory, masterKey: null, new Dictionary<string, string> { ["Keys__DefaultKeySize"] = "2048" }, umask: "022");
            await using (server)
            using (http)
            {
                await WaitUntilReadyAsync(http);
                var registered = await http.PostAsJsonAsync("/api/v1/users", new { email = ApiClient.NewEmail("modes") });
                registered.StatusCode.Should().Be(HttpStatusCode.Created, "the store has rows, so its WAL is in use");

                File.GetUnixFileMode(dataDirectory).Should().Be(OwnerOnlyDirectory);
                foreach (var name in new[] { "cryptosecure.db", "cryptosecure.db-wal", "cryptosecure.db-shm", "master.key" })
                {
                    var file = Path.Combine(dataDirectory, name);
                    File.Exists(file).Should().BeTrue(name);
                    File.GetUnixFileMode(file).Should().Be(OwnerOnlyFile, name);
                }

                if (OperatingSystem.IsLinux())
                {
                    var status = await File.ReadAllLinesAsync($"/proc/{server.Id}/status");
                    status.Should().Contain(l => l.StartsWith("Umask:", StringComparison.Ordinal))
                        .Which.Split(':')[1].Trim().Should().Be("0077", "the server narrows the umask it was started with, for whatever else it writes");
                }
            }
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    private static async Task WaitUntilReadyAsync(HttpClient http)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await http.GetAsync("/health/ready", patience.Token)).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(100, patience.Token);
        }
    }
}
