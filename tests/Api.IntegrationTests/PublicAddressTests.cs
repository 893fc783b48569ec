using System.Net;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// What the service says about its own address (OpenAPI servers, Location, Swagger UI paths) comes
/// from configuration, never from a request's Host or X-Forwarded-* headers: one request must not
/// steer other users' browsers, and their API keys, to a server of its choosing.
/// </summary>
public sealed class PublicAddressTests
{
    private static readonly (string Name, string Value)[] HostileHeaders =
    [
        ("X-Forwarded-Host", "evil.example"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Prefix", "//evil.example"),
    ];

    [Fact]
    public async Task A_first_request_with_forwarded_headers_does_not_poison_the_OpenAPI_servers()
    {
        using var factory = new ApiFactory();
        using var http = factory.CreateClient();

        using var hostile = Request(HttpMethod.Get, "/swagger/v1/swagger.json", host: "evil.example");
        var poisoned = await http.SendAsync(hostile);
        var clean = await http.GetAsync("/swagger/v1/swagger.json");

        foreach (var response in new[] { poisoned, clean })
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Headers.CacheControl!.NoStore.Should().BeTrue("a cached document would outlive a change of the public base URL");
            var text = await response.Content.ReadAsStringAsync();
            text.Should().NotContain("evil.example");
            Servers(text).Should().Equal("/");
        }
    }

    [Fact]
    public async Task The_configured_public_base_url_is_the_only_OpenAPI_server()
    {
        using var factory = ApiFactory.With(new Dictionary<string, string?> { ["Api:PublicBaseUrl"] = "https://keys.example.com/cs/" });
        using var http = factory.CreateClient();

        using var hostile = Request(HttpMethod.Get, "/swagger/v1/swagger.json", host: "evil.example");
        var text = await (await http.SendAsync(hostile)).Content.ReadAsStringAsync();

        Servers(text).Should().Equal("https://keys.example.com/cs");
    }

    [Fact]
    public async Task Swagger_UI_paths_ignore_X_Forwarded_Prefix()
    {
        using var factory = new ApiFactory();
        using var http = factory.CreateClient();

        using var hostile = Request(HttpMethod.Get, "/swagger/index.html");
        var response = await http.SendAsync(hostile);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("\"/swagger/v1/swagger.json\"").And.NotContain("evil.example");
    }

    [Fact]
    public async Task Registration_Location_is_relative_whatever_the_Host_header_says()
    {
        using var factory = new ApiFactory();
        using var http = factory.CreateClient();
        var email = ApiClient.NewEmail("loc");

        using var request = Request(HttpMethod.Post, "/api/v1/users", host: "evil.example");
        request.Content = System.Net.Http.Json.JsonContent.Create(new { email });
        var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location!.IsAbsoluteUri.Should().BeFalse();
        response.Headers.Location!.OriginalString.Should().Be($"/api/v1/users/{email}/keys");
    }

    [Fact]
    public async Task Registration_Location_is_under_the_public_base_url_when_one_is_set()
    {
        using var factory = ApiFactory.With(new Dictionary<string, string?> { ["Api:PublicBaseUrl"] = "https://keys.example.com" });
        using var http = factory.CreateClient();
        var email = ApiClient.NewEmail("loc");

        using var request = Request(HttpMethod.Post, "/api/v1/users", host: "evil.example");
        request.Content = System.Net.Http.Json.JsonContent.Create(new { email });
        var response = await http.SendAsync(request);

        response.Headers.Location!.ToString().Should().Be($"https://keys.example.com/api/v1/users/{email}/keys");
    }

    [Theory]
    [InlineData("Production", null, HttpStatusCode.NotFound)]
    [InlineData("Production", "true", HttpStatusCode.OK)]
    [InlineData("Development", null, HttpStatusCode.OK)]
    [InlineData("Development", "false", HttpStatusCode.NotFound)]
    public async Task Swagger_UI_is_off_in_Production_unless_switched_on_and_the_document_stays(string environment, string? swaggerUi, HttpStatusCode expected)
    {
        using var factory = ApiFactory.With(new Dictionary<string, string?> { ["Api:SwaggerUi"] = swaggerUi }, environment: environment);
        using var http = factory.CreateClient();

        (await http.GetAsync("/swagger/index.html")).StatusCode.Should().Be(expected);
        (await http.GetAsync("/swagger/v1/swagger.json")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("keys.example.com")]
    [InlineData("ftp://keys.example.com")]
    [InlineData("https://keys.example.com/?x=1")]
    public async Task A_public_base_url_that_is_not_an_absolute_http_url_stops_the_start(string value)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-public-url-").FullName;
        try
        {
            var exit = await ServerProcess.RunUntilExitAsync(
                "Production",
                dataDirectory,
                Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                new Dictionary<string, string> { ["Api__PublicBaseUrl"] = value });

            exit.ShouldBeOneLineRefusal("Api:PublicBaseUrl");
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? host = null)
    {
        var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in HostileHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return request;
    }

    private static List<string> Servers(string document) =>
        JsonNode.Parse(document)!["servers"]!.AsArray().Select(s => (string)s!["url"]!).ToList();
}
