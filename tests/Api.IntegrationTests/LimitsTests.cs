using System.Net;
using System.Text;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

public sealed class LimitsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_before_it_is_read()
    {
        var registered = await _api.RegisterAsync();
        var limit = (1024 * 1024 * 8) + (64 * 1024) + 1;
        var body = "{\"plaintext\":\"" + new string('a', limit) + "\"}";

        var v1 = await _api.PostRawAsync($"/api/v1/users/{registered.Email}/encrypt", body);
        var prototype = await _api.PostRawAsync($"/encrypt/{registered.Email}", body);

        await ApiClient.ShouldBeProblemAsync(v1, HttpStatusCode.RequestEntityTooLarge, Problems.PayloadTooLarge);
        await ApiClient.ShouldBePrototypeErrorAsync(prototype, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_JSON_is_refused_with_415(string mediaType)
    {
        var response = await _api.PostRawAsync("/api/v1/users", "email=a@example.com", mediaType);

        await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType, Problems.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_without_a_content_type_is_refused_with_415()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"email\":\"a@example.com\"}"));

        var response = await _api.SendAsync(HttpMethod.Post, "/api/v1/users", content);

        await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType, Problems.UnsupportedMediaType);
    }
}

public sealed class RateLimitTests
{
    private static ApiFactory Limited(string policy, int permits) => ApiFactory.With(new Dictionary<string, string?>
    {
        ["RateLimiting:Enabled"] = "true",
        [$"RateLimiting:{policy}:PermitLimit"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"RateLimiting:{policy}:WindowSeconds"] = "600",
    });

    [Fact]
    public async Task A_client_bursting_key_reads_gets_429_with_Retry_After()
    {
        using var factory = Limited("Public", 3);
        using var api = factory.NewClient();
        using var registration = factory.NewClient();
        var registered = await registration.RegisterAsync();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 4; i++)
        {
            last = await api.GetAsync($"/api/v1/users/{registered.Email}/keys");
            statuses.Add(last.StatusCode);
        }

        statuses.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
        await ApiClient.ShouldBeProblemAsync(last, HttpStatusCode.TooManyRequests, Problems.TooManyRequests);
        int.Parse(last.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(1, 600);
    }

    [Fact]
    public async Task Registrations_are_limited_per_client_and_prototype_routes_answer_in_their_shape()
    {
        using var factory = Limited("KeyGeneration", 2);
        using var api = factory.NewClient();

        (await api.PostAsync("/api/v1/users", new { email = ApiClient.NewEmail() })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await api.PostAsync("/takeuser", new Dictionary<string, string> { ["Email"] = ApiClient.NewEmail() })).StatusCode.Should().Be(HttpStatusCode.Created);
        var third = await api.PostAsync("/takeuser", new Dictionary<string, string> { ["Email"] = ApiClient.NewEmail() });

        await ApiClient.ShouldBePrototypeErrorAsync(third, HttpStatusCode.TooManyRequests);
        third.Headers.Contains("Retry-After").Should().BeTrue();
    }

    [Fact]
    public async Task A_client_with_an_api_key_is_counted_by_its_key_and_an_invented_key_buys_no_new_allowance()
    {
        using var factory = Limited("Owner", 2);
        using var api = factory.NewClient();
        var alice = await api.RegisterAsync();
        var bob = await api.RegisterAsync();

        // Alice spends her allowance; Bob, from the same address, still has his own.
        (await api.GetAsync($"/api/v1/users/{alice.Email}/audit", alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.GetAsync($"/api/v1/users/{alice.Email}/audit", alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.GetAsync($"/api/v1/users/{alice.Email}/audit", alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await api.GetAsync($"/api/v1/users/{bob.Email}/audit", bob.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);

        // Unknown keys do not authenticate, so they share the address's allowance.
        (await api.GetAsync($"/api/v1/users/{bob.Email}/audit", "csk_invented-1")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await api.GetAsync($"/api/v1/users/{bob.Email}/audit", "csk_invented-2")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await api.GetAsync($"/api/v1/users/{bob.Email}/audit", "csk_invented-3")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Keys_minted_by_registering_buy_no_extra_key_generations_from_the_same_address()
    {
        using var factory = Limited("KeyGeneration", 2);
        using var api = factory.NewClient();
        var first = await api.RegisterAsync();
        var second = await api.RegisterAsync();

        // Each new key has a fresh per-key allowance, but the address has spent its own.
        var withFirstKey = await api.PostAsync("/api/v1/users", new { email = ApiClient.NewEmail() }, first.ApiKey);
        var rotateWithSecondKey = await api.PostAsync($"/api/v1/users/{second.Email}/keys/rotate", null, second.ApiKey);

        await ApiClient.ShouldBeProblemAsync(withFirstKey, HttpStatusCode.TooManyRequests, Problems.TooManyRequests);
        await ApiClient.ShouldBeProblemAsync(rotateWithSecondKey, HttpStatusCode.TooManyRequests, Problems.TooManyRequests);
    }

    [Fact]
    public async Task Every_request_from_one_address_shares_a_ceiling_whatever_key_it_carries()
    {
        using var factory = ApiFactory.With(new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:PerAddress:PermitLimit"] = "4",
            ["RateLimiting:PerAddress:WindowSeconds"] = "600",
        });
        using var api = factory.NewClient();
        var alice = await api.RegisterAsync();
        var bob = await api.RegisterAsync();

        (await api.GetAsync($"/api/v1/users/{alice.Email}/audit", alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.GetAsync($"/api/v1/users/{bob.Email}/audit", bob.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.GetAsync($"/api/v1/users/{bob.Email}/keys", bob.ApiKey)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    public void Clients_are_counted_by_IPv4_address_or_IPv6_slash_64(string address, string client)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address);

        CryptoSecure.Api.RateLimiting.RateLimitingSetup.ClientAddress(context).Should().Be(client);
    }

    [Fact]
    public async Task RateLimiting_Enabled_false_switches_the_limits_off()
    {
        using var factory = ApiFactory.With(new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "false",
            ["RateLimiting:Public:PermitLimit"] = "1",
            ["RateLimiting:Public:WindowSeconds"] = "600",
        });
        using var api = factory.NewClient();
        var registered = await api.RegisterAsync();

        for (var i = 0; i < 5; i++)
        {
            (await api.GetAsync($"/api/v1/users/{registered.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }
}
