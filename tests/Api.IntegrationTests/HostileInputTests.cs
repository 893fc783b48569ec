using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Malformed, mistyped, oversized and odd input on every route: always a 4xx in the route's error
/// shape, never a 5xx or a stack trace, and stored keys stay intact.
/// </summary>
public sealed class HostileInputTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    public static TheoryData<string> Bodies => new()
    {
        "",
        "{",
        "not json",
        "null",
        "[]",
        "42",
        "\"string\"",
        "{\"email\":5,\"plaintext\":5,\"ciphertext\":5,\"keySize\":\"big\",\"minDecryptionVersion\":\"x\",\"Email\":5}",
        "{\"email\":[\"a@b.com\"],\"plaintext\":{},\"ciphertext\":[],\"keySize\":1e999,\"exportable\":\"yes\"}",
        "{\"keySize\":99999999999999999999,\"minDecryptionVersion\":-1}",
        "{\"email\":\"a\\u0000b@example.com\",\"Email\":\"a\\u0000b@example.com\",\"plaintext\":\"\\ud800\",\"ciphertext\":\"\\u0000\"}",
        "{\"email\":\"a@example.com\",\"email\":\"b@example.com\"}",
        "{\"plaintextBase64\":\"!!!!\",\"format\":\"jwe\"}",
        "{\"ciphertext\":\"a.b.c.d.e\"}",
        "{\"ciphertext\":\"....\"}",
        "{\"ciphertext\":\"eyJhbGciOiJub25lIn0....\"}",
        "{\"minDecryptionVersion\":2147483647}",
        "{\"email\":\"" + new string('a', 100_000) + "@example.com\",\"Email\":\"" + new string('a', 100_000) + "\",\"plaintextBase64\":\"" + new string('b', 100_001) + "\",\"ciphertext\":\"" + new string('c', 100_000) + "\"}",
        new string('[', 5000) + new string(']', 5000),
    };

    public static TheoryData<string> OddAddresses => new()
    {
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e",
        "a%0d%0aSet-Cookie:%20x@example.com",
        "%F0%9F%92%A3@example.com",
        "alice@example.com%20",
        "\"quoted\"@example.com",
        "<script>@example.com",
        "a@b",
        "@example.com",
        "user@",
        "%25",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA@example.com",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Any_body_on_any_route_gets_a_4xx_in_the_routes_error_shape(string body)
    {
        var victim = await Victim();
        foreach (var (method, path, apiKey) in Routes(victim))
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            var response = await _api.SendAsync(method, path, content, apiKey);
            await ShouldBeCleanClientErrorAsync(response, $"{method} {path} with {Describe(body)}");
        }

        await StillWorks(victim);
    }

    [Theory]
    [MemberData(nameof(OddAddresses))]
    public async Task Odd_addresses_in_the_path_get_a_4xx_and_never_reach_another_identity(string address)
    {
        var victim = await Victim();
        var paths = new[]
        {
            (HttpMethod.Get, $"/api/v1/users/{address}/keys"),
            (HttpMethod.Get, $"/api/v1/users/{address}/keys/private"),
            (HttpMethod.Post, $"/api/v1/users/{address}/encrypt"),
            (HttpMethod.Post, $"/api/v1/users/{address}/decrypt"),
            (HttpMethod.Delete, $"/api/v1/users/{address}"),
            (HttpMethod.Get, $"/get_keys/{address}"),
            (HttpMethod.Post, $"/encrypt/{address}"),
            (HttpMethod.Post, $"/decrypt/{address}"),
        };
        foreach (var (method, path) in paths)
        {
            using var content = method == HttpMethod.Post ? new StringContent("{\"plaintext\":\"x\",\"ciphertext\":\"x\"}", Encoding.UTF8, "application/json") : null;
            var response = await _api.SendAsync(method, path, content, victim.ApiKey);
            if (method == HttpMethod.Get && path == "/get_keys/%2e%2e")
            {
                // Dot segments make this "/", the service index, which names no identity.
                (await response.Content.ReadAsStringAsync()).Should().Contain("\"service\":\"CryptoSecure\"").And.NotContain(victim.Email);
                continue;
            }

            await ShouldBeCleanClientErrorAsync(response, $"{method} {path}");
        }

        await StillWorks(victim);
    }

    [Fact]
    public async Task A_wrong_api_key_format_is_a_clean_401()
    {
        var victim = await Victim();
        foreach (var header in new[] { "Basic abc", "Bearer", "Bearer " + new string('x', 5000), "Bearer \u00e9\u00e9", "Token abc" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{victim.Email}/keys/private");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            var response = await _api.Http.SendAsync(request);
            await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    private async Task<Registered> Victim()
    {
        var victim = await _api.RegisterAsync();
        var ciphertext = await _api.EncryptAsync(victim.Email, "still here");
        _victims[victim.Email] = ciphertext;
        return victim;
    }

    private readonly Dictionary<string, string> _victims = [];

    private async Task StillWorks(Registered victim)
    {
        var decrypted = await _api.DecryptAsync(victim.Email, _victims[victim.Email], victim.ApiKey);
        decrypted.StatusCode.Should().Be(HttpStatusCode.OK, "no input may lose or corrupt stored keys");
        ((string)(await ApiClient.JsonAsync(decrypted))["plaintext"]!).Should().Be("still here");
        var keys = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{victim.Email}/keys"));
        ((int)keys["latestVersion"]!).Should().Be(1);
        ((string)keys["keys"]![0]!["publicKeyPem"]!).Should().Be(victim.PublicKeyPem);
    }

    private static IEnumerable<(HttpMethod Method, string Path, string? ApiKey)> Routes(Registered victim)
    {
        var e = victim.Email;
        yield return (HttpMethod.Post, "/api/v1/users", null);
        yield return (HttpMethod.Post, $"/api/v1/users/{e}/encrypt", null);
        yield return (HttpMethod.Post, $"/api/v1/users/{e}/decrypt", victim.ApiKey);
        yield return (HttpMethod.Post, $"/api/v1/users/{e}/rewrap", victim.ApiKey);
        yield return (HttpMethod.Put, $"/api/v1/users/{e}/keys/config", victim.ApiKey);
        yield return (HttpMethod.Post, "/takeuser", null);
        yield return (HttpMethod.Post, $"/encrypt/{e}", null);
        yield return (HttpMethod.Post, $"/decrypt/{e}", victim.ApiKey);
    }

    private static async Task ShouldBeCleanClientErrorAsync(HttpResponseMessage response, string because)
    {
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().BeInRange(400, 499, $"{because} answered {text}");
        text.Should().NotContainAny(["   at ", "Exception", "System.", "Microsoft."], because);
        var body = JsonNode.Parse(text)!.AsObject();
        var path = response.RequestMessage!.RequestUri!.AbsolutePath;
        if (new[] { "/takeuser", "/get_keys/", "/encrypt/", "/decrypt/" }.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
        {
            body.Select(p => p.Key).Should().Equal(["error"], because);
        }
        else
        {
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", because);
            ((int)body["status"]!).Should().Be((int)response.StatusCode, because);
        }
    }

    private static string Describe(string body) => body.Length > 60 ? body[..60] + $"… ({body.Length} chars)" : body;
}
