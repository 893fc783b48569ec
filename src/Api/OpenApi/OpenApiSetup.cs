using NSwag;
using NSwag.Generation.Processors.Security;

namespace CryptoSecure.Api.OpenApi;

/// <summary>The OpenAPI document (NSwag): served at /swagger/v1/swagger.json, explored at /swagger.</summary>
public static class OpenApiSetup
{
    /// <summary>Security scheme name of API-key bearer authentication.</summary>
    public const string SecurityScheme = "ApiKey";

    /// <summary>Registers the document generator.</summary>
    public static IServiceCollection AddCryptoSecureOpenApi(this IServiceCollection services) =>
        services.AddOpenApiDocument(settings =>
        {
            settings.DocumentName = "v1";
            settings.Title = "CryptoSecure";
            settings.Version = "v1";
            settings.Description =
                "Encryption as a service for per-identity RSA keys. Register an email address to get a key pair and an API key; " +
                "anyone may read the public keys and encrypt to an identity; decryption, private-key export, rotation, " +
                "configuration, rewrap, deletion and the audit trail need the identity's API key (or an admin key). " +
                "Errors are RFC 9457 problem details, except on the prototype's routes, which answer {\"error\": \"...\"}.";
            settings.AddSecurity(SecurityScheme, [], new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "csk_…",
                Description = "The identity's API key from registration (or an admin key), as Authorization: Bearer <key>. The X-Api-Key header is accepted too.",
            });
            settings.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(SecurityScheme));
        });
}
