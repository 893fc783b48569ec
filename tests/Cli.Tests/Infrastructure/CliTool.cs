using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Cli.Tests.Infrastructure;

/// <summary>What one run of the tool did.</summary>
public sealed record CliResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string Text => Encoding.UTF8.GetString(Stdout);

    public override string ToString() => $"exit {ExitCode}; stdout: {(Stdout.Length > 2000 ? Stdout.Length + " bytes" : Text)}; stderr: {Stderr}";
}

/// <summary>
/// Once per test run: <c>dotnet pack</c> of src/Cli, <c>dotnet tool install --tool-path</c> from
/// that pack alone (a nuget.config with only the local folder, and a private packages folder, so
/// neither the network nor an older cached package is involved), and the real server as its own
/// process (Production, a small Encryption:MaxPlaintextBytes so envelope mode is needed). Tests
/// run the installed <c>cryptosecure</c> as a process against it.
/// </summary>
public sealed class CliTool : IAsyncLifetime
{
    /// <summary>The server's plaintext limit in these tests: anything larger needs --envelope.</summary>
    public const int MaxPlaintextBytes = 64 * 1024;

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private readonly string _root = Directory.CreateTempSubdirectory("cryptosecure-cli-").FullName;
    private readonly object _mailServerStart = new();
    private Task<Uri>? _mailServerStarting;
    private ServerProcess? _server;
    private ServerProcess? _mailServer;

    public string ToolPath => Path.Combine(_root, "tool", "cryptosecure");

    public Uri Server { get; private set; } = null!;

    public string AdminKey { get; } = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The master key of <see cref="Server"/>'s store (base64), for restoring its backups.</summary>
    public string MasterKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The temporary folder of this run, for test files.</summary>
    public string WorkDirectory => Path.Combine(_root, "work");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(WorkDirectory);
        var pack = Path.Combine(_root, "pack");
        var configuration = typeof(CliTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var project = Path.Combine(RepositoryRoot(), "src", "Cli", "CryptoSecure.Cli.csproj");

        // The tool was built with this test project (a project reference): pack that build.
        await DotnetAsync(["pack", project, "-c", configuration, "--no-build", "-o", pack, "--nologo"], _root);
        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{pack}" />
              </packageSources>
            </configuration>
            """);
        await DotnetAsync(["tool", "install", "CryptoSecure.Cli", "--tool-path", Path.Combine(_root, "tool"), "--configfile", Path.Combine(_root, "nuget.config"), "--version", "1.0.0"], _root);
        File.Exists(ToolPath).Should().BeTrue("dotnet tool install puts the cryptosecure command in the tool path");

        var (server, http) = await ServerProcess.StartAsync(
            "Production",
            Path.Combine(_root, "data"),
            MasterKey,
            new Dictionary<string, string>
            {
                ["Registration__EmailVerification"] = "Off",
                ["Encryption__MaxPlaintextBytes"] = MaxPlaintextBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Keys__DefaultKeySize"] = "2048",
                ["Keys__Generation__MaxWaitSeconds"] = "300",
                ["RateLimiting__Enabled"] = "false",
                ["Security__AdminApiKeys__0"] = AdminKey,
            },
            umask: "077");
        _server = server;
        Server = http.BaseAddress!;
        http.Dispose();
    }

    /// <summary>Where the server of <see cref="MailServerAsync"/> writes its mails (.eml files).</summary>
    public string PickupDirectory => Path.Combine(_root, "mail");

    /// <summary>
    /// A second real server, started on first use, that requires email verification and writes
    /// each mail as an .eml file to <see cref="PickupDirectory"/> (Email:PickupDirectory): for the
    /// commands that need a code from the mailbox (verify-email, recover).
    /// </summary>
    public Task<Uri> MailServerAsync()
    {
        lock (_mailServerStart)
        {
            return _mailServerStarting ??= StartMailServerAsync();
        }
    }

    private async Task<Uri> StartMailServerAsync()
    {
        Directory.CreateDirectory(PickupDirectory);
        var (server, http) = await ServerProcess.StartAsync(
            "Production",
            Path.Combine(_root, "mail-data"),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            new Dictionary<string, string>
            {
                ["Registration__EmailVerification"] = "Required",
                ["Registration__MailsPerAddressPerHour"] = "20",
                ["Email__PickupDirectory"] = PickupDirectory,
                ["Email__From"] = "cryptosecure@example.com",
                ["Keys__DefaultKeySize"] = "2048",
                ["Keys__Generation__MaxWaitSeconds"] = "300",
                ["RateLimiting__Enabled"] = "false",
                ["Security__AdminApiKeys__0"] = AdminKey,
            },
            umask: "077");
        _mailServer = server;
        MailServer = http.BaseAddress!;
        http.Dispose();
        return MailServer;
    }

    /// <summary>The address of <see cref="MailServerAsync"/>'s server, once started.</summary>
    public Uri? MailServer { get; private set; }

    /// <summary>
    /// The code of the newest mail to <paramref name="email"/> in the pickup directory (its
    /// <c>Code: </c> line) that is not in <paramref name="seen"/>, waiting for the mailer (which
    /// sends off the request path).
    /// </summary>
    public async Task<string> WaitForCodeAsync(string email, ICollection<string>? seen = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var codes = Directory.Exists(PickupDirectory)
                ? Directory.GetFiles(PickupDirectory, "*.eml")
                    .Select(path => (Path: path, Lines: File.ReadAllLines(path)))
                    .Where(mail => mail.Lines.Any(l => l.StartsWith("To:", StringComparison.OrdinalIgnoreCase) && l.Contains(email, StringComparison.OrdinalIgnoreCase)))
                    .OrderByDescending(mail => File.GetLastWriteTimeUtc(mail.Path))
                    .SelectMany(mail => mail.Lines.Where(l => l.StartsWith("Code: ", StringComparison.Ordinal)).Select(l => l["Code: ".Length..].Trim()))
                    .Where(code => seen is null || !seen.Contains(code))
                    .ToList()
                : [];
            if (codes.Count > 0)
            {
                seen?.Add(codes[0]);
                return codes[0];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No new mail to {email} in {PickupDirectory} within 60 s.");
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_mailServer is not null)
        {
            await _mailServer.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temporary folder.
        }
    }

    /// <summary>Everything the server has logged, for tests that check what reached it.</summary>
    public string ServerOutput => (_server?.Output ?? string.Empty) + (_server?.Error ?? string.Empty);

    /// <summary>
    /// Runs the installed tool with <paramref name="args"/>, <paramref name="stdin"/> (empty when null)
    /// and this run's server in CRYPTOSECURE_URL, a fresh config home (no credentials file unless the
    /// test writes one) and no CRYPTOSECURE_API_KEY, unless <paramref name="environment"/> says otherwise.
    /// </summary>
    public async Task<CliResult> RunAsync(IEnumerable<string> args, byte[]? stdin = null, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(ToolPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = WorkDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("CRYPTOSECURE_API_KEY");
        start.Environment["CRYPTOSECURE_URL"] = Server.AbsoluteUri;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(_root, "config-" + Guid.NewGuid().ToString("N"));
        start.Environment.TryAdd("DOTNET_ROOT", DotnetRoot());
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin ?? []);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited before reading its input (a usage error): its exit code says why.
        }

        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        await reading;
        return new CliResult(process.ExitCode, stdout.ToArray(), await error);
    }

    /// <inheritdoc cref="RunAsync(IEnumerable{string}, byte[], IDictionary{string, string})"/>
    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null, null);

    /// <summary>
    /// Runs <paramref name="arguments"/> with stdin, stdout and stderr on a pseudo-terminal made by
    /// util-linux's <c>script</c>, and returns everything the terminal showed; null without <c>script</c>.
    /// </summary>
    public async Task<(int ExitCode, string Terminal)?> RunInTerminalAsync(params string[] arguments)
    {
        if (!File.Exists("/usr/bin/script"))
        {
            return null;
        }

        var command = string.Join(' ', new[] { ToolPath }.Concat(arguments).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var start = new ProcessStartInfo("/usr/bin/script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = WorkDirectory };
        foreach (var arg in new[] { "-qec", command, "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("CRYPTOSECURE_API_KEY");
        start.Environment["CRYPTOSECURE_URL"] = Server.AbsoluteUri;
        start.Environment.TryAdd("DOTNET_ROOT", DotnetRoot());
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Registers a fresh identity through the tool and returns its address and API key.</summary>
    public async Task<(string Email, string ApiKey)> RegisterAsync(string? prefix = null)
    {
        var email = $"{prefix ?? "user"}-{Guid.NewGuid():N}@example.com";
        var result = await RunAsync(["register", email, "--json"]);
        result.ExitCode.Should().Be(0, result.ToString());
        using var answer = System.Text.Json.JsonDocument.Parse(result.Stdout);
        return (email, answer.RootElement.GetProperty("apiKey").GetString()!);
    }

    private static string DotnetRoot()
    {
        var dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? path
            : "/usr/bin/dotnet";
        var resolved = new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet;
        return Path.GetDirectoryName(resolved)!;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CryptoSecure.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CryptoSecure.sln not found above " + AppContext.BaseDirectory);
    }

    private async Task DotnetAsync(string[] args, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        if (args[0] == "tool")
        {
            // A private packages folder: the tool installed is the one just packed, never a cached one.
            start.Environment["NUGET_PACKAGES"] = Path.Combine(_root, "nuget-packages");
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(0, $"dotnet {string.Join(' ', args)} succeeds: {await output}{await error}");
    }
}

[CollectionDefinition(Name)]
public sealed class CliToolGroup : ICollectionFixture<CliTool>
{
    public const string Name = "the installed tool against a real server";
}
