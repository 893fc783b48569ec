using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CryptoSecure.Client;

/// <summary>
/// The typed CryptoSecure client (generated from the service's OpenAPI document, in
/// Generated/CryptoSecureClient.g.cs). Its HttpClient's BaseAddress is the server, ending in "/".
/// </summary>
public partial class CryptoSecureClient
{
    /// <summary>
    /// The API key sent as <c>Authorization: Bearer</c> with every request of this client, for owner
    /// operations (decrypt, export, rotate, configure, rewrap, delete, audit). Null sends none (the
    /// HttpClient's own default Authorization header, if any, then applies).
    /// </summary>
    /// <remarks>Never logged or included in exceptions by this client.</remarks>
    public string? ApiKey { get; set; }

    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings)
    {
        // Leave unset optional fields out of request bodies: the server applies its defaults.
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }

    partial void PrepareRequest(HttpClient client, HttpRequestMessage request, string url)
    {
        if (ApiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        }
    }
}
