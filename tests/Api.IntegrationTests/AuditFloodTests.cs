using System.Net;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Issue 9.6: a stranger with a free key of their own, or anyone encrypting, must not be able to
/// bury an identity's own events. Over HTTP, with the clock held inside one UTC minute so the
/// buckets are the ones the test means, and the client address taken from a test header so two
/// attackers can come from two addresses.
/// </summary>
public sealed class AuditFloodTests : IDisposable
{
    private const string AddressHeader = "X-Test-Client-Address";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 7, 1, 10, 0, 5, TimeSpan.Zero));
    private readonly ApiFactory _factory;
    private readonly ApiClient _api;

    public AuditFloodTests()
    {
        _factory = new ApiFactory
        {
            TestServices = services =>
            {
                services.AddSingleton<TimeProvider>(_clock);
                services.AddTransient<IStartupFilter, ClientAddressFromHeader>();
            },
        };
        _api = _factory.NewClient();
    }

    public void Dispose()
    {
        _api.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task A_stranger_hammering_decrypt_leaves_one_counted_denial_and_the_owners_events_stay_on_the_first_owner_page()
    {
        var victim = await _api.RegisterAsync();
        var mallory = await _api.RegisterAsync();
        var ciphertext = await _api.EncryptAsync(victim.Email, "the victim's secret");
        (await _api.DecryptAsync(victim.Email, ciphertext, victim.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _api.PostAsync($"/api/v1/users/{victim.Email}/keys/rotate", new { keySize = 2048 }, victim.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        const int v1Attempts = 150;
        const int prototypeAttempts = 30;

        // The flood: one stranger's key on the v1 and prototype decrypt routes, and a crowd of public encryptions.
        await RunBoundedAsync(v1Attempts, async _ =>
            (await SendFromAsync("198.51.100.66", HttpMethod.Post, $"/api/v1/users/{victim.Email}/decrypt", new { ciphertext }, mallory.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Forbidden));
        await RunBoundedAsync(prototypeAttempts, async _ =>
            (await SendFromAsync("198.51.100.66", HttpMethod.Post, $"/decrypt/{victim.Email}", new { ciphertext = "00" }, mallory.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Forbidden));
        await RunBoundedAsync(5, async _ =>
            (await SendFromAsync("203.0.113.9", HttpMethod.Get, $"/api/v1/users/{victim.Email}/keys/private", null, mallory.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Forbidden));
        await RunBoundedAsync(60, async _ => await _api.EncryptAsync(victim.Email, "public"));

        var denied = await ReadEventsAsync(victim, "?kind=denied");
        denied.Select(e => ((string)e["clientAddress"]!, (int)e["count"]!, (string)e["action"]!, (string)e["actor"]!)).Should().BeEquivalentTo(
            new[] { ("198.51.100.66", v1Attempts + prototypeAttempts, "denied", "other"), ("203.0.113.9", 5, "denied", "other") },
            "one event per address in the minute, counting every refusal, whichever route refused it");
        denied.Should().OnlyContain(e => (string)e["kind"]! == "denied" && (DateTimeOffset)e["lastOccurredAt"]! >= (DateTimeOffset)e["occurredAt"]!);

        var owner = await ReadEventsAsync(victim, "?kind=owner&limit=10");
        owner.Select(e => (string)e["action"]!).Should().Equal("rotated", "decrypted", "registered");
        owner.Should().OnlyContain(e => (int)e["count"]! == 1);
        (await ReadEventsAsync(victim, "?kind=public&limit=200")).Should().HaveCount(61).And.OnlyContain(e => (string)e["action"]! == "encrypted");
        (await ReadEventsAsync(victim, "?limit=200")).Should().HaveCount(3 + 61 + 2, "the flood added two rows, not two hundred");
    }

    [Fact]
    public async Task Refusals_in_the_next_minute_start_a_new_event()
    {
        var victim = await _api.RegisterAsync();
        var mallory = await _api.RegisterAsync();

        await SendFromAsync("198.51.100.66", HttpMethod.Get, $"/api/v1/users/{victim.Email}/audit", null, mallory.ApiKey);
        await SendFromAsync("198.51.100.66", HttpMethod.Get, $"/api/v1/users/{victim.Email}/audit", null, mallory.ApiKey);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await SendFromAsync("198.51.100.66", HttpMethod.Get, $"/api/v1/users/{victim.Email}/audit", null, mallory.ApiKey);

        (await ReadEventsAsync(victim, "?kind=denied")).Select(e => (int)e["count"]!).Should().Equal(1, 2);
    }

    [Fact]
    public async Task Audit_cursors_reveal_no_sequence_and_open_only_for_their_identity_and_kind()
    {
        var alice = await _api.RegisterAsync();
        var bob = await _api.RegisterAsync();
        for (var i = 0; i < 4; i++)
        {
            await _api.EncryptAsync(alice.Email, "x");
            await _api.EncryptAsync(bob.Email, "x");
        }

        var first = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?kind=public&limit=2", alice.ApiKey));
        var cursor = (string)first["nextCursor"]!;

        long.TryParse(cursor, out _).Should().BeFalse("the cursor is not the service-wide sequence");
        var next = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?kind=public&limit=2&cursor={cursor}", alice.ApiKey));
        next["events"]!.AsArray().Should().HaveCount(2);
        next["nextCursor"].Should().BeNull();
        (await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?kind=public&limit=2&cursor={cursor}", _factory.AdminKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var (email, key, kind) in new[] { (bob.Email, bob.ApiKey, "public"), (alice.Email, alice.ApiKey, "owner"), (alice.Email, alice.ApiKey, "") })
        {
            var refused = await ApiClient.ShouldBeProblemAsync(
                await _api.GetAsync($"/api/v1/users/{email}/audit?kind={kind}&cursor={cursor}", key), HttpStatusCode.BadRequest, Problems.Validation);
            ((string)refused["errors"]!["cursor"]![0]!).Should().Be("cursor is not one this service issued.");
        }

        var forged = cursor[..^2] + (cursor[^2] == 'A' ? "B" : "A") + cursor[^1];
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?kind=public&cursor={forged}", alice.ApiKey), HttpStatusCode.BadRequest, Problems.Validation);
    }

    [Fact]
    public async Task An_unknown_kind_is_a_validation_error_naming_the_known_ones()
    {
        var alice = await _api.RegisterAsync();

        var problem = await ApiClient.ShouldBeProblemAsync(await _api.GetAsync($"/api/v1/users/{alice.Email}/audit?kind=everything", alice.ApiKey), HttpStatusCode.BadRequest, Problems.Validation);

        ((string)problem["errors"]!["kind"]![0]!).Should().Contain("owner, public, denied");
    }

    private async Task<List<JsonObject>> ReadEventsAsync(Registered identity, string query)
    {
        var response = await _api.GetAsync($"/api/v1/users/{identity.Email}/audit{query}", identity.ApiKey);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await ApiClient.JsonAsync(response))["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
    }

    private Task<HttpResponseMessage> SendFromAsync(string address, HttpMethod method, string path, object? body, string apiKey)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        request.Headers.Add(AddressHeader, address);
        return _api.Http.SendAsync(request);
    }

    // A few requests at a time, as one client with a small connection pool would send them.
    private static async Task RunBoundedAsync(int count, Func<int, Task> work)
    {
        using var slots = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await slots.WaitAsync();
            try
            {
                await work(i);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    /// <summary>Test-only: the in-memory server has no peer address, so the test names one per request.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(AddressHeader, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
