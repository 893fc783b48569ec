using System.Net;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>What a person trying the service with curl for the first time meets.</summary>
public sealed class NewcomerTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task The_root_answers_an_index_of_where_to_go()
    {
        var response = await _api.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var index = await ApiClient.JsonAsync(response);
        ((string)index["api"]!).Should().Be("/api/v1");
        ((string)index["openApi"]!).Should().Be("/swagger/v1/swagger.json");
        ((string)index["swaggerUi"]!).Should().Be("/swagger");
        ((string)index["health"]!["ready"]!).Should().Be("/health/ready");
        (await _api.GetAsync((string)index["openApi"]!)).StatusCode.Should().Be(HttpStatusCode.OK, "the index's links work");
    }

    [Fact]
    public async Task Every_kind_of_JSON_answer_ends_with_a_newline_so_curl_output_ends_its_line()
    {
        var registered = await _api.RegisterAsync();

        var answers = new[]
        {
            await _api.GetAsync("/"),
            await _api.GetAsync($"/api/v1/users/{registered.Email}/keys"),
            await _api.GetAsync("/api/v1/users/nobody@example.com/keys"),
            await _api.PostRawAsync("/api/v1/users", "{"),
            await _api.GetAsync("/no/such/route"),
            await _api.GetAsync($"/get_keys/{registered.Email}"),
            await _api.GetAsync("/get_keys/nobody@example.com"),
            await _api.GetAsync("/health/live"),
        };

        foreach (var response in answers)
        {
            var text = await response.Content.ReadAsStringAsync();
            text.Should().EndWith("}\n", $"{response.RequestMessage!.RequestUri} answered {(int)response.StatusCode}");
            JsonNode.Parse(text).Should().NotBeNull();
        }
    }

    [Fact]
    public async Task Development_limits_let_a_newcomer_walk_through_the_README_more_than_once()
    {
        using var development = ApiFactory.With(new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "true" }, environment: "Development");
        using var api = development.NewClient();

        for (var i = 0; i < 12; i++)
        {
            (await api.PostAsync("/api/v1/users", new { email = ApiClient.NewEmail("readme") })).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        // The same walk-through against the Production defaults (5 a minute) runs out.
        using var production = ApiFactory.With(new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "true" }, environment: "Production");
        using var strict = production.NewClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await strict.PostAsync("/api/v1/users", new { email = ApiClient.NewEmail("readme") })).StatusCode);
        }

        statuses.Should().EndWith(HttpStatusCode.TooManyRequests);
    }
}
