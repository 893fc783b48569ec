using System.ComponentModel.DataAnnotations;

namespace CryptoSecure.Api.Hosting;

/// <summary>How the service presents itself to clients (section "Api").</summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string SectionName = "Api";

    /// <summary>
    /// The absolute URL clients reach the service at (for example "https://keys.example.com" or
    /// "https://example.com/cryptosecure" behind a path-prefix proxy). It is the OpenAPI document's
    /// only server and the base of absolute links; unset, both are relative. Request headers
    /// (Host, X-Forwarded-*) never decide either: one request must not redirect other users' API keys.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Whether Swagger UI is served at /swagger; null means on in Development only. The JSON document is always served.</summary>
    public bool? SwaggerUi { get; set; }

    // Methods, not properties: options validation reads every property, before Validate has
    // rejected a relative URL these would throw on.

    /// <summary>The server URL of the OpenAPI document and base of links: the public base URL without a trailing slash, or "/".</summary>
    public string ServerUrl() => PublicBaseUrl is null ? "/" : PublicBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>The path prefix clients see in front of this service's routes ("" without one).</summary>
    public string PublicPathBase() => PublicBaseUrl is null ? string.Empty : PublicBaseUrl.AbsolutePath.TrimEnd('/');

    /// <summary>A link to <paramref name="path"/> ("/api/v1/..."): absolute under the public base URL when one is set, else relative.</summary>
    public string Link(string path) => PublicBaseUrl is null ? path : ServerUrl() + path;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl is { } url
            && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
                || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo)))
        {
            yield return new ValidationResult(
                "Api:PublicBaseUrl must be an absolute http or https URL without user info, query or fragment, for example https://keys.example.com.",
                [nameof(PublicBaseUrl)]);
        }
    }
}
