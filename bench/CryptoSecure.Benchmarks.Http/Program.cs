using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CryptoSecure.Benchmarks.Http;

// HTTP benchmark of CryptoSecure against the real server (Release build, Production environment,
// SQLite store in a temporary directory, rate limiting off). Usage:
//   dotnet run -c Release --project bench/CryptoSecure.Benchmarks.Http [-- --quick] [--no-build]
//     [--skip-registration] [--skip-throughput] [--duration SECONDS]
var quick = args.Contains("--quick");
var noBuild = args.Contains("--no-build");
var skipRegistration = args.Contains("--skip-registration");
var skipThroughput = args.Contains("--skip-throughput");
var durationIndex = Array.IndexOf(args, "--duration");
var loadDuration = TimeSpan.FromSeconds(durationIndex >= 0 ? double.Parse(args[durationIndex + 1], CultureInfo.InvariantCulture) : quick ? 2 : 5);

var root = FindRepositoryRoot();
var serverDll = Path.Combine(root, "src", "Api", "bin", "Release", "net10.0", "CryptoSecure.Api.dll");
if (!noBuild)
{
    Console.Error.WriteLine("Building src/Api (Release)...");
    Run("dotnet", root, "build", Path.Combine(root, "src", "Api", "CryptoSecure.Api.csproj"), "-c", "Release", "-nologo", "-v", "q");
}

if (!File.Exists(serverDll))
{
    Console.Error.WriteLine($"No server build at {serverDll}; run without --no-build.");
    return 1;
}

using var client = new HttpClient(new SocketsHttpHandler
{
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
    MaxConnectionsPerServer = 64,
})
{
    Timeout = TimeSpan.FromMinutes(5),
};

var report = new StringBuilder();
report.AppendLine("# CryptoSecure HTTP benchmark").AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"- Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}");
report.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Environment.ProcessorCount} logical CPUs, {CpuModel()}, {MemoryGiB()} GiB RAM, {RuntimeInformation.OSDescription}");
report.AppendLine(CultureInfo.InvariantCulture, $"- Runtime: .NET {Environment.Version}; server: {Path.GetRelativePath(root, serverDll)} (Release, Production, SQLite, rate limiting off)");
report.AppendLine(CultureInfo.InvariantCulture, $"- Load average at start: {LoadAverage()} (client and server share the machine)");
report.AppendLine(CultureInfo.InvariantCulture, $"- Mode: {(quick ? "quick" : "full")}").AppendLine();

if (!skipRegistration)
{
    var rows = new List<(string Scenario, LatencySummary Latency, string Pool, string Load)>();
    foreach (var bits in new[] { 2048, 3072 })
    {
        var coldCount = quick ? (bits == 2048 ? 10 : 6) : (bits == 2048 ? 40 : 20);
        var warmCount = quick ? 16 : 32;
        rows.Add(await RegistrationAsync(bits, warm: false, coldCount, warmup: quick ? 2 : 5));
        rows.Add(await RegistrationAsync(bits, warm: true, warmCount, warmup: quick ? 3 : 10));
    }

    report.AppendLine("## Registration latency (POST /api/v1/users, sequential, one keep-alive connection)").AppendLine();
    report.AppendLine("| Scenario | n | mean ms | median ms | p95 ms | min ms | max ms | key pool during the run | load avg at start |");
    report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|");
    foreach (var (scenario, l, pool, load) in rows)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"| {scenario} | {l.Count} | {Format.Ms(l.Mean)} | {Format.Ms(l.Median)} | {Format.Ms(l.P95)} | {Format.Ms(l.Min)} | {Format.Ms(l.Max)} | {pool} | {load} |");
    }

    report.AppendLine();
}

if (!skipThroughput)
{
    var rows = await ThroughputAsync();
    report.AppendLine(CultureInfo.InvariantCulture, $"## Encrypt / decrypt throughput (JWE, 1 KiB plaintext, {loadDuration.TotalSeconds:F0} s per row after 1 s warm-up)").AppendLine();
    report.AppendLine("| Operation | key | clients | requests | errors | req/s | p50 ms | p95 ms | load avg at start |");
    report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var row in rows)
    {
        report.AppendLine(row);
    }

    report.AppendLine();
}

report.AppendLine(CultureInfo.InvariantCulture, $"Load average at end: {LoadAverage()}");
Console.WriteLine(report.ToString());
return 0;

// One registration scenario on a fresh server: cold (pool target 0, every key generated on demand)
// or warm (pool target = count, filled before measuring, so every measured registration is a pool hit).
async Task<(string, LatencySummary, string, string)> RegistrationAsync(int bits, bool warm, int count, int warmup)
{
    var name = $"RSA-{bits} {(warm ? "warm pool" : "cold (on demand)")}";
    Console.Error.WriteLine($"Registration: {name}, {warmup} warm-up + {count} measured...");
    var target = warm ? count : 0;
    await using var server = await ServerHost.StartAsync(serverDll, bits, bits == 2048 ? target : 0, bits == 3072 ? target : 0, 0, client);
    var fillTimeout = TimeSpan.FromMinutes(10);
    var run = Guid.NewGuid().ToString("N")[..8];
    if (warm)
    {
        await server.WaitForFullPoolAsync(client, bits, fillTimeout);
    }

    for (var i = 0; i < warmup; i++)
    {
        await RegisterAsync(server, $"warmup-{run}-{i}@bench.example.com", bits);
    }

    if (warm)
    {
        await server.WaitForFullPoolAsync(client, bits, fillTimeout);
    }

    var load = LoadAverage();
    var before = await server.PoolAsync(client, bits);
    var samples = new List<double>(count);
    for (var i = 0; i < count; i++)
    {
        samples.Add(await RegisterAsync(server, $"user-{run}-{i}@bench.example.com", bits));
    }

    var after = await server.PoolAsync(client, bits);
    var fromPool = after.TakenFromPool - before.TakenFromPool;
    var onDemand = after.GeneratedOnDemand - before.GeneratedOnDemand;
    var pool = warm
        ? $"target {after.Target}: {fromPool} taken from pool, {onDemand} generated on demand, {after.Generated - before.Generated} refilled meanwhile"
        : $"target 0: {fromPool} from pool, {onDemand} generated on demand, mean generation {after.AverageGenerationMs:F0} ms";
    Console.Error.WriteLine($"  {pool}");
    return (name, LatencySummary.Of(samples), pool, load);
}

async Task<double> RegisterAsync(ServerHost server, string email, int bits)
{
    var body = JsonSerializer.SerializeToUtf8Bytes(new { email, keySize = bits });
    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, "api/v1/users")) { Content = Json(body) };
    var started = Stopwatch.GetTimestamp();
    using var response = await client.SendAsync(request);
    var answer = await response.Content.ReadAsByteArrayAsync();
    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    if (response.StatusCode != HttpStatusCode.Created)
    {
        throw new InvalidOperationException($"Registration answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(answer)}");
    }

    return elapsed;
}

// Encrypt and decrypt under load on one server (pool off, so no background key generation).
async Task<List<string>> ThroughputAsync()
{
    var rows = new List<string>();
    await using var server = await ServerHost.StartAsync(serverDll, 3072, 0, 0, 0, client);
    var plaintext = new string('x', 1024);
    var targets = new List<(string Operation, int Bits, Uri Uri, byte[] Body, string? ApiKey)>();
    foreach (var bits in new[] { 2048, 3072 })
    {
        var email = $"load-{bits}@bench.example.com";
        var registration = await PostJsonAsync(server, "api/v1/users", new { email, keySize = bits }, null, HttpStatusCode.Created);
        var apiKey = registration.GetProperty("apiKey").GetString()!;
        var ciphertext = (await PostJsonAsync(server, $"api/v1/users/{email}/encrypt", new { plaintext }, null, HttpStatusCode.OK)).GetProperty("ciphertext").GetString()!;
        var check = await PostJsonAsync(server, $"api/v1/users/{email}/decrypt", new { ciphertext }, apiKey, HttpStatusCode.OK);
        if (check.GetProperty("plaintext").GetString() != plaintext)
        {
            throw new InvalidOperationException("The decrypted plaintext differs from the encrypted one.");
        }

        targets.Add(("encrypt", bits, new Uri(server.BaseAddress, $"api/v1/users/{email}/encrypt"), JsonSerializer.SerializeToUtf8Bytes(new { plaintext }), null));
        targets.Add(("decrypt", bits, new Uri(server.BaseAddress, $"api/v1/users/{email}/decrypt"), JsonSerializer.SerializeToUtf8Bytes(new { ciphertext }), apiKey));
    }

    // Warm the server (JIT tiering, thread pool, connection pools) on every operation and both
    // concurrency levels before any row is measured: without it the first row measured after
    // start-up comes out markedly slower than the same row measured later.
    Console.Error.WriteLine("Throughput: warm-up...");
    foreach (var clients in new[] { 2, 8 })
    {
        foreach (var target in targets)
        {
            await LoadAsync(target.Uri, target.Body, target.ApiKey, clients, TimeSpan.FromSeconds(quick ? 1 : 2));
        }
    }

    foreach (var (operation, bits, uri, body, apiKey) in targets)
    {
        foreach (var clients in new[] { 2, 8 })
        {
            Console.Error.WriteLine($"Throughput: {operation} RSA-{bits}, {clients} clients, {loadDuration.TotalSeconds:F0} s...");
            await LoadAsync(uri, body, apiKey, clients, TimeSpan.FromSeconds(1));
            var load = LoadAverage();
            var (completed, errors, elapsed, latencies) = await LoadAsync(uri, body, apiKey, clients, loadDuration);
            var sorted = latencies.Order().ToArray();
            var p50 = sorted.Length == 0 ? double.NaN : LatencySummary.Percentile(sorted, 50);
            var p95 = sorted.Length == 0 ? double.NaN : LatencySummary.Percentile(sorted, 95);
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {operation} | RSA-{bits} | {clients} | {completed} | {errors} | {Format.N(completed / elapsed.TotalSeconds)} | {Format.Ms(p50)} | {Format.Ms(p95)} | {load} |"));
        }
    }

    return rows;
}

// `clients` loops, each sending one request at a time until `duration` has passed.
async Task<(int Completed, int Errors, TimeSpan Elapsed, List<double> Latencies)> LoadAsync(Uri uri, byte[] body, string? apiKey, int clients, TimeSpan duration)
{
    var clock = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, clients).Select(async worker =>
    {
        var latencies = new List<double>(4096);
        var errors = 0;
        while (clock.Elapsed < duration)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = Json(body) };
            if (apiKey is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            var started = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request);
            _ = await response.Content.ReadAsByteArrayAsync();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                latencies.Add(elapsed);
            }
            else
            {
                errors++;
            }
        }

        return (latencies, errors);
    }).ToArray();
    var results = await Task.WhenAll(workers);
    var total = clock.Elapsed;
    var all = results.SelectMany(r => r.latencies).ToList();
    return (all.Count, results.Sum(r => r.errors), total, all);
}

async Task<JsonElement> PostJsonAsync(ServerHost server, string path, object payload, string? apiKey, HttpStatusCode expected)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, path)) { Content = Json(JsonSerializer.SerializeToUtf8Bytes(payload)) };
    if (apiKey is not null)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    using var response = await client.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != expected)
    {
        throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
    }

    using var document = JsonDocument.Parse(text);
    return document.RootElement.Clone();
}

static ByteArrayContent Json(byte[] body)
{
    var content = new ByteArrayContent(body);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    return content;
}

static string FindRepositoryRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CryptoSecure.sln")))
            {
                return directory.FullName;
            }
        }
    }

    throw new InvalidOperationException("Run from inside the CryptoSecure repository (CryptoSecure.sln not found).");
}

static void Run(string file, string workingDirectory, params string[] arguments)
{
    // The child's output goes to stderr: stdout carries only the report.
    var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
    Console.Error.Write(process.StandardOutput.ReadToEnd());
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
    }
}

static string CpuModel()
{
    try
    {
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
    catch (IOException)
    {
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}

static string MemoryGiB() => (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024)).ToString("F0", CultureInfo.InvariantCulture);

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "n/a";
    }
}
