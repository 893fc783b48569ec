using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests.Durability;

/// <summary>
/// On the real server process under concurrent encrypts, whose audit events are committed in groups:
/// SIGTERM lets every request in flight finish with its event stored and exits 0, and after a
/// kill -9 every acknowledged request still has its event. Both are read back by a fresh server on
/// the same data directory, as an operator would after a restart.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class AuditDurabilityTests : IDisposable
{
    private const int Clients = 8;

    private readonly string _dataDirectory = Path.Combine(Directory.CreateTempSubdirectory("cryptosecure-durability-").FullName, "data");
    private readonly string _masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dataDirectory)!, recursive: true);

    [SkippableFact]
    public async Task SIGTERM_under_load_finishes_the_requests_in_flight_stores_each_acknowledged_event_and_exits_0()
    {
        Skip.If(OperatingSystem.IsWindows(), "POSIX signals only.");
        var (server, http) = await StartServerAsync();
        Registered identity;
        IReadOnlyList<EncryptOutcome> outcomes;
        long terminatedAt;
        ServerExit exit;
        await using (server)
        using (http)
        {
            identity = await new ApiClient(http).RegisterAsync(keySize: 2048);
            var load = EncryptLoad.Start(http.BaseAddress!, identity.Email, Clients);
            await load.WaitForAnswersAsync(200);

            terminatedAt = Stopwatch.GetTimestamp();
            await server.TerminateAsync();
            exit = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
            outcomes = await load.StopAsync();
        }

        exit.ExitCode.Should().Be(0, exit.Output + exit.Error);
        exit.Error.Should().BeEmpty("a clean shutdown reports nothing on stderr");
        var sentBefore = outcomes.Where(o => o.StartedAt < terminatedAt).ToList();
        sentBefore.Should().HaveCountGreaterThan(200);
        sentBefore.Where(o => !o.Acknowledged).Select(o => o.Failure?.ToString() ?? o.Status.ToString()).Should().BeEmpty(
            "a request sent before SIGTERM is finished, not reset or refused");
        await ShouldAllBeAuditedAsync(identity, outcomes);
    }

    [SkippableFact]
    public async Task After_kill_9_under_load_every_acknowledged_request_has_its_audit_event()
    {
        Skip.If(OperatingSystem.IsWindows(), "POSIX signals only.");
        var (server, http) = await StartServerAsync();
        Registered identity;
        IReadOnlyList<EncryptOutcome> outcomes;
        await using (server)
        using (http)
        {
            identity = await new ApiClient(http).RegisterAsync(keySize: 2048);
            var load = EncryptLoad.Start(http.BaseAddress!, identity.Email, Clients);
            await load.WaitForAnswersAsync(200);
            await Task.Delay(TimeSpan.FromSeconds(2));

            await server.KillAsync();
            outcomes = await load.StopAsync();
        }

        outcomes.Count(o => o.Acknowledged).Should().BeGreaterThan(200);
        outcomes.Should().Contain(o => o.Failure != null, "the kill cut requests short: some were in flight");
        await ShouldAllBeAuditedAsync(identity, outcomes);
    }

    private async Task ShouldAllBeAuditedAsync(Registered identity, IReadOnlyList<EncryptOutcome> outcomes)
    {
        var (restarted, http) = await StartServerAsync();
        await using (restarted)
        using (http)
        {
            var audited = await EncryptLoad.AuditedRequestIdsAsync(http, identity);
            var acknowledged = outcomes.Where(o => o.Acknowledged).Select(o => o.RequestId!).ToList();
            acknowledged.Should().OnlyHaveUniqueItems();
            acknowledged.Where(id => !audited.Contains(id)).Should().BeEmpty(
                "every acknowledged encrypt's event was committed before its answer ({0} acknowledged, {1} audited)", acknowledged.Count, audited.Count);
        }
    }

    private async Task<(ServerProcess Server, HttpClient Http)> StartServerAsync()
    {
        var (server, http) = await ServerProcess.StartAsync("Production", _dataDirectory, _masterKey, new Dictionary<string, string>
        {
            ["RateLimiting__Enabled"] = "false",
            // Not the request log line per request; the host's "Now listening on" stays (the test
            // waits for it), and the umask wrapper's shell would drop a variable with dots in its name.
            ["Logging__LogLevel__CryptoSecure"] = "Warning",
        }, umask: "077");
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await http.GetAsync("/health/ready", patience.Token)).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(100, patience.Token);
        }

        return (server, http);
    }
}
