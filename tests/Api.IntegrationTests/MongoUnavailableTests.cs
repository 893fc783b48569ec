using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// The server configured for MongoDB while MongoDB cannot be reached: it starts, stays live,
/// reports not-ready, and answers every request that needs the store with a quick 503 that says
/// nothing about the driver.
/// </summary>
public sealed class MongoUnavailableTests
{
    // Port 1 refuses connections; the driver gives up on server selection after a second.
    private static readonly Dictionary<string, string?> UnreachableMongo = new()
    {
        ["KeyStore:Provider"] = "Mongo",
        ["KeyStore:Mongo:ConnectionString"] = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=1000&connectTimeoutMS=1000",
        ["KeyStore:Mongo:TimeoutSeconds"] = "2",
    };

    // "Quickly": a few seconds, with room for a slow CI machine; a hang would take the driver's 30 s default or longer.
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_server_starts_stays_live_and_reports_not_ready()
    {
        using var factory = ApiFactory.With(UnreachableMongo);
        using var api = factory.NewClient();

        var live = await api.GetAsync("/health/live");
        var ready = await api.GetAsync("/health/ready");

        live.StatusCode.Should().Be(HttpStatusCode.OK);
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        File.Exists(factory.DatabasePath).Should().BeFalse("the server must be using MongoDB, not the SQLite default");
        factory.Logs.All.Should().Contain("Key store not reachable yet");
    }

    [Fact]
    public async Task Requests_that_need_the_store_answer_503_problem_details_quickly_and_without_driver_internals()
    {
        using var factory = ApiFactory.With(UnreachableMongo);
        using var api = factory.NewClient();
        var email = ApiClient.NewEmail("unreachable");
        var someonesKey = "csk_" + new string('A', 43);

        var requests = new (string Name, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("register", () => api.PostAsync("/api/v1/users", new { email })),
            ("read keys", () => api.GetAsync($"/api/v1/users/{email}/keys")),
            ("encrypt", () => api.PostAsync($"/api/v1/users/{email}/encrypt", new { plaintext = "hello" })),
            ("decrypt with an API key (authentication needs the store)", () => api.PostAsync($"/api/v1/users/{email}/decrypt", new { ciphertext = "AAAA" }, someonesKey)),
        };

        foreach (var (name, send) in requests)
        {
            var clock = Stopwatch.StartNew();
            using var response = await send().WaitAsync(Quickly);
            clock.Elapsed.Should().BeLessThan(Quickly, name);

            var body = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable, "urn:cryptosecure:problem:unavailable");
            var text = body.ToJsonString();
            text.Should().NotContainAny(["Mongo", "mongo", "Exception", "Timeout", "127.0.0.1", "   at "], name);
            response.Headers.RetryAfter.Should().NotBeNull(name);
        }
    }

    [Fact]
    public async Task A_prototype_route_answers_503_in_the_prototypes_shape_without_driver_internals()
    {
        using var factory = ApiFactory.With(UnreachableMongo);
        using var api = factory.NewClient();

        using var response = await api.GetAsync($"/get_keys/{ApiClient.NewEmail("unreachable")}").WaitAsync(Quickly);

        var error = await ApiClient.ShouldBePrototypeErrorAsync(response, HttpStatusCode.ServiceUnavailable);
        error.Should().NotContainAny("Mongo", "mongo", "Exception", "Timeout", "127.0.0.1");
    }

    [Fact]
    public async Task Without_a_connection_string_the_server_refuses_to_start_and_names_the_setting()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-mongo-").FullName;
        try
        {
            var exit = await ServerProcess.RunUntilExitAsync(
                "Production", dataDirectory, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), new Dictionary<string, string> { ["KeyStore__Provider"] = "Mongo" });

            exit.ShouldBeOneLineRefusal("KeyStore:Mongo:ConnectionString is not set");
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
