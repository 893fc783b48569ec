using System.Security.Cryptography;

namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The built server as its own process (Production, fresh data directory and master key), for what
/// only real Kestrel and a real process show: connection limits, timeouts, overload.
/// </summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private RunningServer(ServerProcess process, HttpClient http, string dataDirectory)
    {
        Process = process;
        Http = http;
        _dataDirectory = dataDirectory;
    }

    public ServerProcess Process { get; }

    /// <summary>A client of the server (its base address is where the server listens).</summary>
    public HttpClient Http { get; }

    public Uri Address => Http.BaseAddress!;

    public static async Task<RunningServer> StartAsync(IDictionary<string, string> settings)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-load-").FullName;
        var (process, http) = await ServerProcess.StartAsync("Production", dataDirectory, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), settings, umask: "077");
        return new RunningServer(process, http, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
