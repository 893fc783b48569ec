using System.Text.Json;
using CryptoSecure.Api.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CryptoSecure.Api.Health;

/// <summary>
/// Writes health reports as JSON: the overall status for anyone (load balancers, probes), and each
/// check's status, description and data (key-pool figures) only for an admin key: the figures tell
/// a stranger how fast registration is and when the pool runs dry.
/// </summary>
public static class HealthResponseWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>The writer for MapHealthChecks.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        object body = context.User.IsInRole(ApiKeyDefaults.AdminRole)
            ? new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
            }
            : new { status = report.Status.ToString() };
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json) + "\n", context.RequestAborted);
    }
}
