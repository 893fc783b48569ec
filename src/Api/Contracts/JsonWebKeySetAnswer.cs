using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace CryptoSecure.Api.Contracts;

/// <summary>
/// The JWK Set as HTTP: the exact bytes served, a strong ETag over them (RFC 9110 §8.8.3: equal
/// bytes, equal tag, so every node serving the same keys gives the same tag), a minute of public
/// caching, and 304 for a client that already has them (RFC 9110 §13.1.2).
/// </summary>
public static class JsonWebKeySetAnswer
{
    /// <summary>
    /// application/json rather than application/jwk-set+json (RFC 7517 §8.5.1, which ARCHITECTURE.md
    /// allows either way): JOSE libraries' remote key sets and the typed client read either, and
    /// generic HTTP tooling reads only the first as JSON.
    /// </summary>
    public const string MediaType = "application/json";

    /// <summary>What public caches may do: keep it a minute; a rotation is seen within that.</summary>
    public const string CacheControl = "public, max-age=60";

    /// <summary>The answer to this request for <paramref name="keySet"/>.</summary>
    public static IActionResult For(JsonWebKeySetResponse keySet, HttpContext context, JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(context);

        // A newline, as every JSON answer of the API ends (curl output), inside the tagged bytes.
        var body = JsonSerializer.SerializeToUtf8Bytes(keySet, json).Append((byte)'\n').ToArray();
        var tag = new EntityTagHeaderValue("\"" + System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(body)) + "\"");
        var headers = context.Response.GetTypedHeaders();
        headers.ETag = tag;
        headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromSeconds(60) };

        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false)))
        {
            // RFC 9110 §13.1.2: If-None-Match compares weakly; a 304 carries the ETag and caching headers.
            return new StatusCodeResult(StatusCodes.Status304NotModified);
        }

        return new FileContentResult(body, MediaType);
    }
}
