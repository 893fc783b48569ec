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

    /// <summary>
    /// Deletes an identity (<c>DELETE /api/v1/users/{email}</c>) and says how: the schedule when
    /// the server waits (202, <c>Keys:DeletionWaitingDays</c> above 0), null when the identity was
    /// destroyed at once (204: no waiting period, or <paramref name="purge"/> by an admin). Use this
    /// rather than the generated <see cref="DeleteUserAsync(string, bool?, CancellationToken)"/>,
    /// which can only return the 202 answer and reports a 204 as an exception.
    /// </summary>
    /// <param name="email">The identity.</param>
    /// <param name="purge">Destroy at once (admins only; an owner gets 403).</param>
    /// <param name="cancellationToken">Aborts the request.</param>
    /// <exception cref="CryptoSecureApiException">Any refusal (400, 401, 403, 404, 409, 429, 503).</exception>
    public async Task<DeletionScheduledResponse?> DeleteIdentityAsync(string email, bool purge = false, CancellationToken cancellationToken = default)
    {
        try
        {
            return await DeleteUserAsync(email, purge ? true : null, cancellationToken).ConfigureAwait(false);
        }
        catch (CryptoSecureApiException ex) when (ex.StatusCode == 204)
        {
            return null;
        }
    }

    partial void PrepareRequest(HttpClient client, HttpRequestMessage request, string url)
    {
        if (ApiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        }
    }
}
