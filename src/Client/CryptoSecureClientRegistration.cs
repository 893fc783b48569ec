using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Client;

/// <summary>Registers the typed client with IHttpClientFactory.</summary>
public static class CryptoSecureClientRegistration
{
    /// <summary>
    /// Registers <see cref="ICryptoSecureClient"/> as a typed HttpClient for the server at
    /// <paramref name="baseUrl"/>, sending <paramref name="apiKey"/> (when given) as
    /// <c>Authorization: Bearer</c>. Returns the builder, for handlers, resilience and the like.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="baseUrl">The server's absolute address, e.g. https://cryptosecure.example/ (a path prefix is kept).</param>
    /// <param name="apiKey">The identity's API key (or an admin key) for owner operations; null for public operations only.</param>
    public static IHttpClientBuilder AddCryptoSecureClient(this IServiceCollection services, Uri baseUrl, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The CryptoSecure base URL must be absolute, e.g. https://cryptosecure.example/.", nameof(baseUrl));
        }

        // The generated client's paths are relative ("api/v1/users"): without the trailing slash,
        // a base URL's last path segment would be replaced instead of extended.
        var baseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        return services.AddHttpClient<ICryptoSecureClient, CryptoSecureClient>(http =>
        {
            http.BaseAddress = baseAddress;
            if (!string.IsNullOrWhiteSpace(apiKey))
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }
        });
    }
}
