using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;

namespace CryptoSecure.Benchmarks.Http;

/// <summary>Key-pool figures of one size, as /health/ready reports them.</summary>
internal sealed record PoolFigures(int Available, int Target, long Generated, double AverageGenerationMs, long TakenFromPool, long GeneratedOnDemand);

/// <summary>
/// One CryptoSecure server process (the Release build of src/Api, run with <c>dotnet</c>) on a free
/// loopback port, with its own temporary data directory and master key. Killed and cleaned up on dispose.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly Queue<string> _lastOutput = new();

    private ServerHost(Process process, string dataDirectory, Uri baseAddress)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts the server with the given pool targets and default key size, and waits until /health/live answers.</summary>
    public static async Task<ServerHost> StartAsync(string serverDll, int defaultKeySize, int pool2048, int pool3072, int pool4096, HttpClient client)
    {
        var port = FreePort();
        var dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-bench-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var env = start.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["DOTNET_ENVIRONMENT"] = "Production";
        env["Security__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        env["Security__AdminApiKeys__0"] = AdminKey;
        env["Storage__DataDirectory"] = dataDirectory;
        env["RateLimiting__Enabled"] = "false";
        // The benchmark's identities encrypt and decrypt at once: no mailbox proves them.
        env["Registration__EmailVerification"] = "Off";
        env["Keys__DefaultKeySize"] = defaultKeySize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Keys__Pool__2048"] = pool2048.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Keys__Pool__3072"] = pool3072.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Keys__Pool__4096"] = pool4096.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Logging__LogLevel__Default"] = "Warning";

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var host = new ServerHost(process, dataDirectory, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode}:\n{host.LastOutput()}");
            }

            try
            {
                using var live = await client.GetAsync(new Uri(host.BaseAddress, "health/live"));
                if (live.StatusCode == HttpStatusCode.OK)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await host.DisposeAsync();
        throw new TimeoutException("The server did not answer /health/live within 90 s.");
    }

    /// <summary>The admin key of every server this benchmark starts (its figures need one).</summary>
    public static readonly string AdminKey = "bench-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The pool figures of <paramref name="bits"/> from /health/ready.</summary>
    public async Task<PoolFigures> PoolAsync(HttpClient client, int bits)
    {
        // The pool figures are shown to admin keys only.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, "health/ready"));
        request.Headers.Authorization = new("Bearer", AdminKey);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"/health/ready answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        var data = json.RootElement.GetProperty("checks").GetProperty("keyPool").GetProperty("data").GetProperty($"rsa{bits}");
        return new PoolFigures(
            data.GetProperty("available").GetInt32(),
            data.GetProperty("target").GetInt32(),
            data.GetProperty("generated").GetInt64(),
            data.GetProperty("averageGenerationMs").GetDouble(),
            data.GetProperty("takenFromPool").GetInt64(),
            data.GetProperty("generatedOnDemand").GetInt64());
    }

    /// <summary>Waits until the pool of <paramref name="bits"/> holds its target.</summary>
    public async Task<PoolFigures> WaitForFullPoolAsync(HttpClient client, int bits, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var pool = await PoolAsync(client, bits);
            if (pool.Available >= pool.Target)
            {
                return pool;
            }

            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"The RSA-{bits} pool holds {pool.Available} of {pool.Target} after {waited.Elapsed.TotalSeconds:F0} s.");
            }

            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it is under the temp directory.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastOutput)
        {
            _lastOutput.Enqueue(line);
            while (_lastOutput.Count > 40)
            {
                _lastOutput.Dequeue();
            }
        }
    }

    private string LastOutput()
    {
        lock (_lastOutput)
        {
            return string.Join('\n', _lastOutput);
        }
    }
}
