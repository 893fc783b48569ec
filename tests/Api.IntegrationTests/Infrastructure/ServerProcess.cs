using System.Diagnostics;
using System.Text;

namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>How a server process ended: its exit code and everything it wrote.</summary>
internal sealed record ServerExit(int ExitCode, string Output, string Error)
{
    /// <summary>
    /// A refused start: exit code 1, exactly one line on stderr that names <paramref name="naming"/>,
    /// and no stack trace or exception type anywhere (not from Program, not from the host's log).
    /// </summary>
    public void ShouldBeOneLineRefusal(params string[] naming)
    {
        var everything = Output + Error;
        ExitCode.Should().Be(1, everything);
        var line = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Should().ContainSingle(everything).Which;
        line.Should().StartWith("CryptoSecure cannot start: ");
        foreach (var part in naming)
        {
            line.Should().Contain(part);
        }

        everything.Should().NotMatchRegex(@"(?m)^\s*at \S", "no stack frame, from Program or from the host's log")
            .And.NotContain("Exception", "no exception type either")
            .And.NotContain("Hosting failed to start");
    }
}

/// <summary>
/// The built server (CryptoSecure.Api.dll beside the tests) as its own process: what an operator
/// sees on a refused start, and the file modes and umask of the real process, need the real process.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;

    private ServerProcess(ProcessStartInfo start)
    {
        _process = Process.Start(start)!;
        _reading = Task.WhenAll(ReadAsync(_process.StandardOutput, _output, watchForAddress: true), ReadAsync(_process.StandardError, _error, watchForAddress: false));
    }

    /// <summary>Everything the running server has written to stdout so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The process id (that of the server itself: the umask wrapper execs it).</summary>
    public int Id => _process.Id;

    /// <summary>Runs a server that is expected to refuse to start, and returns how it ended.</summary>
    public static async Task<ServerExit> RunUntilExitAsync(string environment, string dataDirectory, string? masterKey, IDictionary<string, string>? settings = null)
    {
        await using var server = new ServerProcess(StartInfo(environment, dataDirectory, masterKey, settings, umask: null));
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await server._process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException("The server did not exit: it started although it should have refused to. Output: " + server._output);
        }

        await server._reading;
        return new ServerExit(server._process.ExitCode, server._output.ToString(), server._error.ToString());
    }

    /// <summary>
    /// Runs the server's DLL with a verb (<c>restore SNAPSHOT --to PATH</c>) instead of the server,
    /// under umask 077 as a service would, and returns how it ended.
    /// </summary>
    public static async Task<ServerExit> RunVerbAsync(IReadOnlyList<string> arguments, string? masterKey, IDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", "umask 077 && exec \"$0\" \"$@\"", "dotnet", Path.Combine(AppContext.BaseDirectory, "CryptoSecure.Api.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Security__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
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
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        return new ServerExit(process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Starts a server under <paramref name="umask"/> (set by a shell that then execs the server, so
    /// the server does not inherit the test process's) and waits until it listens.
    /// </summary>
    public static async Task<(ServerProcess Server, HttpClient Http)> StartAsync(string environment, string dataDirectory, string? masterKey, IDictionary<string, string>? settings, string umask)
    {
        var server = new ServerProcess(StartInfo(environment, dataDirectory, masterKey, settings, umask));
        try
        {
            var address = await server._listening.Task.WaitAsync(Patience);
            return (server, new HttpClient { BaseAddress = address });
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends SIGTERM, as systemd, Kubernetes or <c>docker stop</c> do to stop the service.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        kill.ExitCode.Should().Be(0, "the signal was delivered");
    }

    /// <summary>Ends the server with SIGKILL at once: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits until the server has exited on its own, and returns how it ended.</summary>
    public async Task<ServerExit> WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        await _process.WaitForExitAsync(timeout.Token);
        await _reading;
        return new ServerExit(_process.ExitCode, Output, Error);
    }

    /// <summary>Everything the server has written to stderr so far.</summary>
    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        await _reading;
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string environment, string dataDirectory, string? masterKey, IDictionary<string, string>? settings, string? umask)
    {
        string[] server = ["dotnet", Path.Combine(AppContext.BaseDirectory, "CryptoSecure.Api.dll"), "--urls", "http://127.0.0.1:0"];
        var start = umask is null
            ? new ProcessStartInfo(server[0], server[1..])
            : new ProcessStartInfo("/bin/sh", ["-c", $"umask {umask} && exec \"$0\" \"$@\"", .. server]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = AppContext.BaseDirectory;
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Security__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Email__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Registration__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Keys__Pool__2048"] = "0";
        start.Environment["Keys__Pool__3072"] = "0";
        start.Environment["Keys__Pool__4096"] = "0";

        // Mail goes to a pickup directory, as outside Development some way to send it is required;
        // a test that wants none sets Email__PickupDirectory to "".
        start.Environment["Email__PickupDirectory"] = Path.Combine(dataDirectory, "mail");
        if (masterKey is not null)
        {
            start.Environment["Security__MasterKey"] = masterKey;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private async Task ReadAsync(StreamReader reader, StringBuilder into, bool watchForAddress)
    {
        const string listening = "Now listening on: ";
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.AppendLine(line);
            }

            var at = line.IndexOf(listening, StringComparison.Ordinal);
            if (watchForAddress && at >= 0)
            {
                _listening.TrySetResult(new Uri(line[(at + listening.Length)..].Trim()));
            }
        }

        _listening.TrySetException(new InvalidOperationException("The server exited before it listened. Output: " + _output + " Error: " + _error));
    }
}
