using System.Net;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>The request log: one line per request, carrying the status the client got.</summary>
public sealed class RequestLogTests
{
    private const string Category = "CryptoSecure.Api.Telemetry.RequestLogMiddleware";

    public static TheoryData<string, string, object?, HttpStatusCode> Requests() => new()
    {
        { "GET", "/api/v1/users/nobody@example.com/keys", null, HttpStatusCode.NotFound },
        { "POST", "/api/v1/users", new { email = "not-an-address" }, HttpStatusCode.BadRequest },
        { "GET", "/api/v1/users/nobody@example.com/keys/private", null, HttpStatusCode.Unauthorized },
        { "GET", "/no/such/route", null, HttpStatusCode.NotFound },
        { "POST", "/decrypt/nobody@example.com", new { ciphertext = "00" }, HttpStatusCode.Unauthorized },
        { "GET", "/health/live", null, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Each_request_is_logged_once_with_the_status_the_client_got(string method, string path, object? body, HttpStatusCode status)
    {
        using var factory = new ApiFactory();
        using var api = factory.NewClient();
        await api.GetAsync("/health/live"); // start-up lines out of the way
        var before = factory.Logs.Lines.Count;

        var response = await api.SendAsync(new HttpMethod(method), path, body is null ? null : System.Net.Http.Json.JsonContent.Create(body));

        response.StatusCode.Should().Be(status);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        var lines = factory.Logs.Lines.Skip(before).ToList();
        var requestLines = lines.Where(l => l.Contains(Category + ":", StringComparison.Ordinal) && !l.Contains(" scope: ", StringComparison.Ordinal)).ToList();
        requestLines.Should().ContainSingle().Which.Should().Contain($"StatusCode={(int)status}").And.Contain($"RequestId={requestId}");

        // Nothing else at Information or above speaks for this request (the framework's per-request
        // lines and the use case's own are Debug, or Warning-filtered in appsettings.json).
        lines.Where(l => l.StartsWith("Information ", StringComparison.Ordinal) || l.StartsWith("Warning ", StringComparison.Ordinal))
            .Should().ContainSingle("one line per request, not seven");
    }

    [Fact]
    public async Task The_request_line_names_the_route_not_the_address_and_never_the_query()
    {
        using var factory = new ApiFactory();
        using var api = factory.NewClient();
        var registered = await api.RegisterAsync();

        await api.GetAsync($"/api/v1/users/{registered.Email}/audit?limit=5", registered.ApiKey);
        await api.GetAsync($"/api/v1/users/{registered.Email}/audit?cursor=secret-looking", registered.ApiKey);

        var lines = factory.Logs.Lines.Where(l => l.Contains(Category + ":", StringComparison.Ordinal) && l.Contains("audit", StringComparison.Ordinal)).ToList();
        lines.Should().HaveCount(2);
        lines[0].Should().Contain("/api/v1/users/{email}/audit").And.Contain("StatusCode=200");
        lines[1].Should().Contain("/api/v1/users/{email}/audit").And.Contain("StatusCode=400", "the exception handler's answer keeps its route");
        string.Concat(lines).Should().NotContain(registered.Email).And.NotContain("secret-looking").And.NotContain(registered.ApiKey);

        // A mistyped route matches nothing: its path (and the address in it) stays out too.
        (await api.GetAsync($"/api/v1/users/{registered.Email}/keyz")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var unmatched = factory.Logs.Lines.Last(l => l.Contains(Category + ":", StringComparison.Ordinal) && !l.Contains(" scope: ", StringComparison.Ordinal));
        unmatched.Should().Contain("(no route)").And.Contain("StatusCode=404").And.NotContain(registered.Email);
    }
}

/// <summary>The request log as an operator reads it: the real server's console, with its own appsettings.json.</summary>
public sealed class RequestLogOnTheServerProcessTests
{
    [Fact]
    public async Task The_console_shows_one_line_per_request_with_the_status_the_client_got()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-request-log-").FullName;
        try
        {
            var (server, http) = await ServerProcess.StartAsync(
                "Production", dataDirectory, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), null, umask: "077");
            await using (server)
            using (http)
            {
                // The host's start-up lines follow "Now listening on"; the last is the content root.
                using (var started = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
                {
                    while (!server.Output.Contains("Content root path:", StringComparison.Ordinal))
                    {
                        await Task.Delay(20, started.Token);
                    }
                }

                var before = server.Output.Length;
                var notFound = await http.GetAsync("/api/v1/users/nobody@example.com/keys");
                var invalid = await http.PostAsync("/api/v1/users", new StringContent("{\"email\":\"not-an-address\"}", System.Text.Encoding.UTF8, "application/json"));
                notFound.StatusCode.Should().Be(HttpStatusCode.NotFound);
                invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);

                // The console logger writes from a queue: wait for both lines.
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                string written;
                while (!(written = server.Output[before..]).Contains("POST /api/v1/users 400", StringComparison.Ordinal))
                {
                    await Task.Delay(50, deadline.Token);
                }

                written.Should().Contain("GET /api/v1/users/{email}/keys 404 in ");
                var entries = System.Text.RegularExpressions.Regex.Count(written, @"(?m)^(trce|dbug|info|warn|fail|crit): ");
                entries.Should().Be(2, "one log entry per request:\n" + written);
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
