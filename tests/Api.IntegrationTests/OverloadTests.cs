using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// The real server process under more RSA-4096 decryptions than it can do: the excess is told to
/// come back (503 with Retry-After, in the route's error shape) instead of waiting or failing, and
/// health checks and public-key reads are still answered meanwhile. No timing assertions: the
/// latencies seen are written to the test output (speed figures belong to the benchmark).
/// </summary>
public sealed class OverloadTests(ITestOutputHelper output)
{
    private const int Connections = 192;
    private static readonly TimeSpan Saturation = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Saturating_RSA_4096_decryption_gets_503_with_Retry_After_never_500_nor_a_timeout_and_health_and_public_keys_stay_served()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["RateLimiting__Enabled"] = "false",
            // Every connection of this test comes from one address.
            ["Load__Connections__MaxConnectionsPerClient"] = "0",
            ["Keys__Generation__MaxWaitSeconds"] = "300",
        });
        using var setup = new ApiClient(server.Http);
        var identity = await setup.RegisterAsync(keySize: 4096);
        var jwe = await setup.EncryptAsync(identity.Email, "overload");
        var hex = (string)(await ApiClient.JsonAsync(await setup.PostAsync($"/encrypt/{identity.Email}", new { plaintext = "overload" })))["ciphertext"]!;

        using var load = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Connections }) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        using var probe = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        using var stop = new CancellationTokenSource(Saturation);

        var outcomes = new List<Outcome>[Connections];
        var workers = Enumerable.Range(0, Connections).Select(i => Task.Run(async () =>
        {
            // Half on the v1 route, half on the prototype's: each answers busy in its own shape.
            var prototype = i % 2 == 1;
            var mine = outcomes[i] = [];
            while (!stop.IsCancellationRequested)
            {
                using var request = prototype
                    ? new HttpRequestMessage(HttpMethod.Post, $"/decrypt/{identity.Email}") { Content = JsonContent.Create(new { ciphertext = hex }) }
                    : new HttpRequestMessage(HttpMethod.Post, $"/api/v1/users/{identity.Email}/decrypt") { Content = JsonContent.Create(new { ciphertext = jwe }) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", identity.ApiKey);
                mine.Add(await SendAsync(load, request, prototype));
            }
        })).ToArray();

        var health = new List<Outcome>();
        var keys = new List<Outcome>();
        var probing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                health.Add(await SendAsync(probe, new HttpRequestMessage(HttpMethod.Get, "/health/live"), prototype: false));
                keys.Add(await SendAsync(probe, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{identity.Email}/keys"), prototype: false));
                await Task.Delay(20);
            }
        });
        await Task.WhenAll([.. workers, probing]);

        var decrypts = outcomes.SelectMany(o => o).ToList();
        Report("decrypt", decrypts);
        Report("GET /health/live", health);
        Report("GET public keys", keys);

        decrypts.Should().NotContain(o => o.Failure != null, "no request may time out or fail at the transport");
        decrypts.Should().OnlyContain(o => o.Status == HttpStatusCode.OK || o.Status == HttpStatusCode.ServiceUnavailable, "past capacity the answer is 503, never a 500 or anything else");
        decrypts.Should().Contain(o => o.Status == HttpStatusCode.OK, "work within capacity is still done");
        var busy = decrypts.Where(o => o.Status == HttpStatusCode.ServiceUnavailable).ToList();
        busy.Should().NotBeEmpty("192 connections of RSA-4096 decryptions are more than the queue holds");
        busy.Should().OnlyContain(o => o.RetryAfter >= 1, "each 503 says when to come back");
        busy.Should().OnlyContain(o => o.ShapeIsRight, "each 503 has its route's error body");
        busy.Should().Contain(o => o.Prototype).And.Contain(o => !o.Prototype);
        health.Concat(keys).Should().NotBeEmpty().And.OnlyContain(o => o.Status == HttpStatusCode.OK, "health and public keys do not go through the private-key limit");
    }

    private static async Task<Outcome> SendAsync(HttpClient client, HttpRequestMessage request, bool prototype)
    {
        using (request)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : (int?)null;
                return new Outcome(response.StatusCode, clock.Elapsed, prototype, retryAfter, ShapeIsRight(response, text, prototype), null);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return new Outcome(null, clock.Elapsed, prototype, null, false, ex.GetType().Name + ": " + ex.Message);
            }
        }
    }

    private static bool ShapeIsRight(HttpResponseMessage response, string text, bool prototype)
    {
        if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
        {
            return true;
        }

        var body = JsonNode.Parse(text)!.AsObject();
        return prototype
            ? body.Count == 1 && body["error"] is JsonValue
            : response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                && (string?)body["type"] == Problems.Unavailable && (int?)body["status"] == 503 && (string?)body["title"] == "Service busy";
    }

    private void Report(string what, List<Outcome> outcomes)
    {
        var latencies = outcomes.Select(o => o.Latency.TotalMilliseconds).Order().ToArray();
        double At(double p) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        var byStatus = string.Join(", ", outcomes.GroupBy(o => o.Status?.ToString() ?? "failed").Select(g => $"{g.Key}: {g.Count()}"));
        output.WriteLine($"{what}: {outcomes.Count} requests ({byStatus}); p50 {At(0.50):F1} ms, p99 {At(0.99):F1} ms, max {At(1):F1} ms");
    }

    private sealed record Outcome(HttpStatusCode? Status, TimeSpan Latency, bool Prototype, int? RetryAfter, bool ShapeIsRight, string? Failure);
}
