using System.Net;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

public sealed class OpenApiAndHealthTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task The_OpenAPI_document_describes_every_operation_with_an_id_a_summary_and_its_responses()
    {
        var response = await _api.GetAsync("/swagger/v1/swagger.json");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Path: path.Key, Method: op.Key, Operation: op.Value!.AsObject())))
            .ToList();
        operations.Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}").Should().BeEquivalentTo(
            "POST /api/v1/users",
            "DELETE /api/v1/users/{email}",
            "POST /api/v1/users/{email}/restore",
            "GET /api/v1/users/{email}/audit",
            "GET /api/v1/users/{email}/keys",
            "GET /api/v1/users/{email}/jwks",
            "GET /api/v1/users/{email}/keys/private",
            "POST /api/v1/users/{email}/keys/rotate",
            "PUT /api/v1/users/{email}/keys/config",
            "POST /api/v1/users/{email}/encrypt",
            "POST /api/v1/users/{email}/decrypt",
            "POST /api/v1/users/{email}/rewrap",
            "POST /api/v1/users/{email}/sign",
            "POST /api/v1/users/{email}/verify",
            "POST /api/v1/users/{email}/datakey",
            "POST /api/v1/users/{email}/encrypt/batch",
            "POST /api/v1/users/{email}/decrypt/batch",
            "POST /api/v1/users/{email}/sign/batch",
            "POST /api/v1/users/{email}/verify/batch",
            "GET /api/v1/admin/master-key",
            "GET /api/v1/admin/backup",
            "POST /takeuser",
            "GET /get_keys/{email}",
            "POST /encrypt/{email}",
            "POST /decrypt/{email}");
        foreach (var (path, method, operation) in operations)
        {
            var name = $"{method} {path}";
            ((string?)operation["operationId"]).Should().NotBeNullOrWhiteSpace(name);
            ((string?)operation["summary"]).Should().NotBeNullOrWhiteSpace(name);
            operation["responses"]!.AsObject().Count.Should().BeGreaterThan(1, name);
        }

        operations.Select(o => (string)o.Operation["operationId"]!).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Swagger_UI_is_served_at_swagger()
    {
        var response = await factory.CreateClient(new() { AllowAutoRedirect = true }).GetAsync("/swagger");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
    }

    [Fact]
    public async Task Liveness_and_readiness_report_healthy_with_the_key_pool_figures_for_an_admin()
    {
        var live = await _api.GetAsync("/health/live");
        var ready = await _api.GetAsync("/health/ready", factory.AdminKey);

        live.StatusCode.Should().Be(HttpStatusCode.OK);
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        ((string)body["status"]!).Should().Be("Healthy");
        ((string)body["checks"]!["keyStore"]!["status"]!).Should().Be("Healthy");
        var pool = body["checks"]!["keyPool"]!["data"]!["rsa2048"]!;
        ((int)pool["target"]!).Should().Be(4);
        ((int)pool["available"]!).Should().BeInRange(0, 4);
    }

    [Fact]
    public async Task Readiness_shows_anyone_but_an_admin_only_its_status()
    {
        var owner = await _api.RegisterAsync();

        foreach (var key in new[] { null, owner.ApiKey, "csk_unknown" })
        {
            var ready = await _api.GetAsync("/health/ready", key);

            ready.StatusCode.Should().Be(HttpStatusCode.OK);
            var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!.AsObject();
            body.Select(p => p.Key).Should().Equal(["status"], "the key-pool figures are for admins");
            ((string)body["status"]!).Should().Be("Healthy");
        }
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_problem_details()
    {
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound);
        await ApiClient.ShouldBeProblemAsync(await _api.SendAsync(HttpMethod.Patch, "/api/v1/users", null), HttpStatusCode.MethodNotAllowed);
    }
}
