using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>A registered identity as the tests use it.</summary>
public sealed record Registered(string Email, string ApiKey, string PublicKeyPem, JsonObject Body);

/// <summary>Thin helpers over HttpClient so tests read as what they do.</summary>
public sealed class ApiClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.com";

    public async Task<Registered> RegisterAsync(string? email = null, int? keySize = null, bool? exportable = null)
    {
        email ??= NewEmail();
        var response = await PostAsync("/api/v1/users", new { email, keySize, exportable });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await JsonAsync(response);
        return new Registered(email, (string)body["apiKey"]!, (string)body["publicKeyPem"]!, body);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object? body, string? apiKey = null) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonContent.Create(body), apiKey);

    public Task<HttpResponseMessage> PutAsync(string path, object body, string? apiKey = null) =>
        SendAsync(HttpMethod.Put, path, JsonContent.Create(body), apiKey);

    public Task<HttpResponseMessage> PostRawAsync(string path, string content, string mediaType = "application/json", string? apiKey = null) =>
        SendAsync(HttpMethod.Post, path, new StringContent(content, Encoding.UTF8, mediaType), apiKey);

    public Task<HttpResponseMessage> GetAsync(string path, string? apiKey = null) => SendAsync(HttpMethod.Get, path, null, apiKey);

    public Task<HttpResponseMessage> DeleteAsync(string path, string? apiKey = null) => SendAsync(HttpMethod.Delete, path, null, apiKey);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return await Http.SendAsync(request);
    }

    public async Task<string> EncryptAsync(string email, string plaintext, string format = "jwe")
    {
        var response = await PostAsync($"/api/v1/users/{email}/encrypt", new { plaintext, format });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (string)(await JsonAsync(response))["ciphertext"]!;
    }

    public Task<HttpResponseMessage> DecryptAsync(string email, string ciphertext, string? apiKey) =>
        PostAsync($"/api/v1/users/{email}/decrypt", new { ciphertext }, apiKey);

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException("Empty body: " + text);
    }

    /// <summary>Asserts an RFC 9457 answer with <paramref name="status"/> and <paramref name="type"/>; returns the body.</summary>
    public static async Task<JsonObject> ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? type = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", text);
        var body = JsonNode.Parse(text)!.AsObject();
        ((int)body["status"]!).Should().Be((int)status);
        body["title"].Should().NotBeNull();
        if (type is not null)
        {
            ((string)body["type"]!).Should().Be(type);
        }

        text.Should().NotContainAny("   at ", "Exception", "StackTrace");
        return body;
    }

    /// <summary>Asserts the prototype's error shape: exactly {"error": "..."}.</summary>
    public static async Task<string> ShouldBePrototypeErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        var body = JsonNode.Parse(text)!.AsObject();
        body.Select(p => p.Key).Should().Equal("error");
        return (string)body["error"]!;
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public void Dispose() => Http.Dispose();
}
