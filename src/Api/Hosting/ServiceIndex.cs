using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.Hosting;

/// <summary>
/// <c>GET /</c>: where to go from here, for a person with curl or a browser (the API itself is
/// under /api/v1; the prototype's routes stay at the root).
/// </summary>
public static class ServiceIndex
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the index (not part of the OpenAPI document: it is not an API operation).</summary>
    public static WebApplication MapServiceIndex(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var swaggerUi = api.SwaggerUi ?? app.Environment.IsDevelopment();
        var body = JsonSerializer.Serialize(
            new
            {
                service = "CryptoSecure",
                description = "Encryption as a service for per-identity RSA keys.",
                api = api.Link("/api/v1"),
                register = $"POST {api.Link("/api/v1/users")} {{\"email\": \"...\"}}",
                openApi = api.Link("/swagger/v1/swagger.json"),
                swaggerUi = swaggerUi ? api.Link("/swagger") : null,
                health = new { live = api.Link("/health/live"), ready = api.Link("/health/ready") },
            },
            Json) + "\n";
        app.MapGet("/", () => Results.Text(body, "application/json")).ExcludeFromDescription();
        return app;
    }
}
