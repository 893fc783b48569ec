using System.Text.Json.Nodes;
using CryptoSecure.Api.Errors;
using CryptoSecure.Client.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Client.Tests;

/// <summary>The served OpenAPI document says what the server does, for people and for generated clients.</summary>
public sealed class OpenApiDocumentTests(CryptoSecureServer server) : IClassFixture<CryptoSecureServer>
{
    private const string PrototypeTag = "Prototype (compatibility)";
    private const string ProblemMediaType = "application/problem+json";

    // The ARCHITECTURE.md table's owner operations; any other [Authorize] action counts too.
    private static readonly string[] KnownOwnerOperations =
        ["ExportPrivateKey", "Decrypt", "RotateKey", "ConfigureKeys", "Rewrap", "DeleteUser", "GetAuditTrail", "PrototypeDecrypt"];

    private static readonly string[] KnownPublicOperations =
        ["RegisterUser", "GetPublicKeys", "Encrypt", "PrototypeTakeUser", "PrototypeGetKeys", "PrototypeEncrypt"];

    private Dictionary<string, ServerAction>? _actions;

    private sealed record ServerAction(string? RouteName, bool Owner, bool Prototype);

    private sealed record Operation(string Method, string Path, JsonObject Body)
    {
        public string Id => (string)Body["operationId"]!;

        public IEnumerable<(string Status, JsonObject Response)> Responses =>
            Body["responses"]!.AsObject().Select(r => (r.Key, r.Value!.AsObject()));

        public override string ToString() => $"{Method.ToUpperInvariant()} {Path} ({Body["operationId"]})";
    }

    private async Task<JsonObject> DocumentAsync()
    {
        using var http = server.CreateClient();
        return JsonNode.Parse(await http.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative)))!.AsObject();
    }

    // What the server's actions say about themselves: route name, [Authorize], [PrototypeRoute].
    private Dictionary<string, ServerAction> Actions()
    {
        var descriptions = server.Services.GetRequiredService<IApiDescriptionGroupCollectionProvider>()
            .ApiDescriptionGroups.Items.SelectMany(g => g.Items).ToList();
        descriptions.Should().NotBeEmpty();
        return descriptions.ToDictionary(
            d => $"{d.HttpMethod!.ToLowerInvariant()} /{d.RelativePath}",
            d => new ServerAction(
                d.ActionDescriptor.AttributeRouteInfo?.Name,
                d.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any() && !d.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any(),
                d.ActionDescriptor.EndpointMetadata.OfType<PrototypeRouteAttribute>().Any()),
            StringComparer.OrdinalIgnoreCase);
    }

    private ServerAction ActionOf(Operation operation)
    {
        _actions ??= Actions();
        return _actions[$"{operation.Method} {operation.Path}"];
    }

    private static List<Operation> Operations(JsonObject document) =>
        document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => new Operation(op.Key, path.Key, op.Value!.AsObject())))
            .ToList();

    private static string? SchemaReference(JsonObject response, string mediaType) =>
        (string?)response["content"]?[mediaType]?["schema"]?["$ref"];

    [Fact]
    public async Task No_description_holds_angle_brackets_outside_code_that_Swagger_UI_would_swallow_as_HTML()
    {
        // Swagger UI renders descriptions as Markdown: "Bearer <key>" showed as "Bearer ." in its
        // Authorize dialog. Placeholders belong in `code`, where they are shown as written.
        var document = await DocumentAsync();

        var offending = Strings(document, "$")
            .Where(s => s.Path.EndsWith(".description", StringComparison.Ordinal) || s.Path.EndsWith(".summary", StringComparison.Ordinal))
            .Where(s => System.Text.RegularExpressions.Regex.IsMatch(System.Text.RegularExpressions.Regex.Replace(s.Text, "`[^`]*`", string.Empty), "<[A-Za-z/]"))
            .Select(s => $"{s.Path}: {s.Text}")
            .ToList();

        offending.Should().BeEmpty();
    }

    private static IEnumerable<(string Path, string Text)> Strings(JsonNode? node, string path) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value, $"{path}.{p.Key}")),
        JsonArray a => a.SelectMany((v, i) => Strings(v, $"{path}[{i}]")),
        JsonValue v when v.TryGetValue<string>(out var text) => [(path, text)],
        _ => [],
    };

    [Fact]
    public async Task Every_operation_has_an_id_from_its_route_name_a_summary_a_description_and_a_described_tag()
    {
        var document = await DocumentAsync();
        var operations = Operations(document);
        var tags = document["tags"]!.AsArray().ToDictionary(t => (string)t!["name"]!, t => (string?)t!["description"]);

        operations.Should().HaveCount(Actions().Count, "every action is in the document");
        operations.Select(o => o.Id).Should().Contain(KnownOwnerOperations.Concat(KnownPublicOperations)).And.OnlyHaveUniqueItems();
        foreach (var operation in operations)
        {
            ActionOf(operation).RouteName.Should().NotBeNullOrEmpty($"{operation}: name the route ([HttpPost(..., Name = ...)]); the name is the operationId and the client's method name");
            operation.Id.Should().Be(ActionOf(operation).RouteName, operation.ToString());
            ((string?)operation.Body["summary"]).Should().NotBeNullOrWhiteSpace(operation.ToString());
            ((string?)operation.Body["description"]).Should().NotBeNullOrWhiteSpace($"{operation}: write its <remarks>");
            var tag = (string)operation.Body["tags"]!.AsArray().Should().ContainSingle(operation.ToString()).Subject!;
            tags.GetValueOrDefault(tag).Should().NotBeNullOrWhiteSpace($"{operation}: describe the tag \"{tag}\" in src/Api/OpenApi/ApiTags.cs");
        }
    }

    [Fact]
    public async Task Every_request_body_and_every_answer_with_a_body_has_a_schema()
    {
        var operations = Operations(await DocumentAsync());

        foreach (var operation in operations)
        {
            if (operation.Body["requestBody"] is JsonObject body)
            {
                body["content"]!["application/json"]!["schema"]!["$ref"].Should().NotBeNull(operation.ToString());
            }
            else if (operation.Id != "RestoreUser")
            {
                // Restore is a POST with nothing to say but the path: it changes state, so not a GET.
                operation.Method.Should().BeOneOf(["get", "delete"], $"{operation} takes no body");
            }

            foreach (var (status, response) in operation.Responses)
            {
                ((string?)response["description"]).Should().NotBeNullOrWhiteSpace($"{operation} {status}");
                if (status is "204" or "304")
                {
                    response["content"].Should().BeNull($"{operation} {status} has no body");
                    continue;
                }

                var schema = response["content"]!.AsObject().Should().ContainSingle($"{operation} {status}").Which.Value!["schema"]!;
                if ((string?)schema["format"] == "binary")
                {
                    // A file download (the backup): bytes, no JSON schema to refer to.
                    ((string?)schema["type"]).Should().Be("string", $"{operation} {status}");
                    continue;
                }

                schema["$ref"].Should().NotBeNull($"{operation} {status}");
            }

            operation.Responses.Should().Contain(r => r.Status.StartsWith('2'), operation.ToString());
        }
    }

    [Fact]
    public async Task Every_v1_error_answer_is_a_problem_details_document()
    {
        var operations = Operations(await DocumentAsync()).Where(o => !ActionOf(o).Prototype).ToList();

        operations.Should().HaveCountGreaterThanOrEqualTo(10);
        foreach (var operation in operations)
        {
            foreach (var (status, response) in operation.Responses.Where(r => r.Status[0] is '4' or '5'))
            {
                response["content"]!.AsObject().Select(c => c.Key).Should().Equal([ProblemMediaType], $"{operation} {status}");
                SchemaReference(response, ProblemMediaType).Should().BeOneOf(
                    ["#/components/schemas/ProblemDetails", "#/components/schemas/ValidationProblemDetails"], $"{operation} {status}");
            }

            // An operation that takes no input at all (the admin status and backup) has nothing to refuse as 400.
            var takesInput = operation.Body["parameters"] is JsonArray { Count: > 0 } || operation.Body["requestBody"] is not null;
            operation.Responses.Select(r => r.Status).Should().Contain(takesInput ? ["400", "429", "503"] : ["429", "503"], operation.ToString());
        }
    }

    [Fact]
    public async Task Prototype_error_answers_keep_the_prototype_shape()
    {
        var operations = Operations(await DocumentAsync()).Where(o => ActionOf(o).Prototype).ToList();

        operations.Should().HaveCount(4);
        foreach (var operation in operations)
        {
            foreach (var (status, response) in operation.Responses.Where(r => r.Status[0] is '4' or '5'))
            {
                SchemaReference(response, "application/json").Should().Be("#/components/schemas/PrototypeError", $"{operation} {status}");
            }
        }
    }

    [Fact]
    public async Task Validation_problems_extend_problem_details_with_the_field_errors()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!.AsObject();

        var validation = schemas["ValidationProblemDetails"]!["allOf"]!.AsArray();
        ((string?)validation[0]!["$ref"]).Should().Be("#/components/schemas/ProblemDetails");
        validation[1]!["properties"]!["errors"]!["additionalProperties"]!["type"]!.GetValue<string>().Should().Be("array");
        schemas["ProblemDetails"]!["properties"]!.AsObject().Select(p => p.Key).Should().Contain(["type", "title", "status", "detail"]);
    }

    [Fact]
    public async Task The_api_key_schemes_are_declared_and_required_by_owner_operations_only()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!;

        ((string?)schemes["ApiKey"]!["type"]).Should().Be("http");
        ((string?)schemes["ApiKey"]!["scheme"]).Should().Be("bearer");
        ((string?)schemes["ApiKeyHeader"]!["type"]).Should().Be("apiKey");
        ((string?)schemes["ApiKeyHeader"]!["in"]).Should().Be("header");
        ((string?)schemes["ApiKeyHeader"]!["name"]).Should().Be("X-Api-Key");
        document["security"].Should().BeNull("public operations need no key");
        var operations = Operations(document);
        operations.Where(o => ActionOf(o).Owner).Select(o => o.Id).Should().Contain(KnownOwnerOperations);
        operations.Where(o => !ActionOf(o).Owner).Select(o => o.Id).Should().Contain(KnownPublicOperations);
        foreach (var operation in operations)
        {
            var security = operation.Body["security"]?.AsArray();
            if (ActionOf(operation).Owner)
            {
                security.Should().NotBeNull(operation.ToString());
                security!.Select(r => r!.AsObject().Single().Key).Should().BeEquivalentTo(["ApiKey", "ApiKeyHeader"], operation.ToString());
                operation.Responses.Select(r => r.Status).Should().Contain(["401", "403"], operation.ToString());
            }
            else
            {
                security.Should().BeNull(operation.ToString());
                operation.Responses.Select(r => r.Status).Should().NotContain("401", operation.ToString());
            }
        }
    }

    [Fact]
    public async Task Prototype_routes_are_grouped_under_their_own_tag_and_deprecated()
    {
        var document = await DocumentAsync();

        var tags = document["tags"]!.AsArray().Select(t => ((string)t!["name"]!, (string?)t["description"])).ToList();
        tags.Select(t => t.Item1).Should().StartWith(["Identities", "Keys", "Encryption", "Signatures", "Batch", "Admin", PrototypeTag]);
        tags.Single(t => t.Item1 == PrototypeTag).Item2.Should().Contain("compatibility").And.Contain("Deprecated");
        foreach (var operation in Operations(document))
        {
            var tag = (string)operation.Body["tags"]![0]!;
            var deprecated = (bool?)operation.Body["deprecated"] ?? false;
            if (ActionOf(operation).Prototype)
            {
                tag.Should().Be(PrototypeTag, operation.ToString());
                deprecated.Should().BeTrue(operation.ToString());
                ((string)operation.Body["description"]!).Should().Contain("Kept for compatibility", operation.ToString());
            }
            else
            {
                tag.Should().NotBe(PrototypeTag, operation.ToString());
                deprecated.Should().BeFalse(operation.ToString());
            }
        }
    }

    [Fact]
    public async Task Contract_properties_the_server_always_writes_are_required()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!.AsObject();

        Required(schemas, "RegisteredUserResponse").Should().BeEquivalentTo(["email", "keyVersion", "keySize", "publicKeyPem", "createdAt", "apiKey", "exportable"]);
        Required(schemas, "DecryptResponse").Should().BeEquivalentTo(["plaintextBase64", "keyVersion"]);
        Required(schemas, "TakeUserResponse").Should().NotContain("private_key");
        Required(schemas, "RegisterUserRequest").Should().BeEmpty("a missing email is answered with a validation problem, not refused by the schema");
    }

    private static string[] Required(JsonObject schemas, string name) =>
        schemas[name]!["required"]?.AsArray().Select(r => (string)r!).ToArray() ?? [];
}
