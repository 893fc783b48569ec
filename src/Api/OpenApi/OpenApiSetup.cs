using CryptoSecure.Api.Security;
using NSwag;
using NSwag.AspNetCore;
using NSwag.Generation.Processors.Security;

namespace CryptoSecure.Api.OpenApi;

/// <summary>The OpenAPI document (NSwag): served at /swagger/v1/swagger.json, explored at /swagger.</summary>
/// <remarks>
/// The document is the contract of the typed client (src/Client, generated from it) and is committed
/// as docs/openapi.json; tests/Client.Tests fails when either differs from what this server produces.
/// </remarks>
public static class OpenApiSetup
{
    /// <summary>Security scheme name of API-key bearer authentication (<c>Authorization: Bearer</c>).</summary>
    public const string SecurityScheme = "ApiKey";

    /// <summary>Security scheme name of the alternative API-key header (<c>X-Api-Key</c>).</summary>
    public const string HeaderSecurityScheme = "ApiKeyHeader";

    /// <summary>Registers the document generator and the Swagger UI settings.</summary>
    public static IServiceCollection AddCryptoSecureOpenApi(this IServiceCollection services)
    {
        // UseSwaggerUi() without arguments reads these options: list every operation on opening, as
        // Swagger UI itself does by default (NSwag's default collapses them under their tags).
        services.Configure<SwaggerUiSettings>(ui => ui.DocExpansion = "list");
        return services.AddOpenApiDocument(settings =>
        {
            settings.DocumentName = "v1";
            settings.Title = "CryptoSecure";
            settings.Version = "v1";
            settings.Description =
                "Encryption as a service for per-identity RSA keys. Register an email address to get a key pair and an API key; " +
                "anyone may read the public keys and encrypt to an identity; decryption, private-key export, rotation, " +
                "configuration, rewrap, deletion and the audit trail need the identity's API key (or an admin key). " +
                "Errors are RFC 9457 problem details (application/problem+json), except on the prototype's routes, which answer {\"error\": \"...\"}.";

            // Operation ids are the routes' names (RegisterUser, Encrypt, ...): stable, and the typed
            // client's method names.
            settings.UseRouteNameAsOperationId = true;

            // Declared without a document-wide requirement: only the [Authorize] (owner) operations
            // get one, below, so public operations show no lock in Swagger UI.
            settings.AddSecurity(SecurityScheme, new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "csk_…",
                Description = "The identity's API key from registration (or an admin key), as Authorization: Bearer <key>.",
            });
            settings.AddSecurity(HeaderSecurityScheme, new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.ApiKey,
                Name = ApiKeyDefaults.HeaderName,
                In = OpenApiSecurityApiKeyLocation.Header,
                Description = "The same API key in the X-Api-Key header, for clients that cannot set Authorization. Send one of the two, not both.",
            });

            // Two requirements on an operation mean either scheme will do: OpenAPI's "security" lists alternatives.
            settings.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(SecurityScheme));
            settings.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(HeaderSecurityScheme));
            settings.OperationProcessors.Add(new ErrorResponsesProcessor());
            settings.SchemaSettings.SchemaProcessors.Add(new RequiredContractPropertiesProcessor());
            settings.DocumentProcessors.Add(new DocumentTagsAndProblemSchemasProcessor());
        });
    }
}
