using CryptoSecure.Api.Hosting;
using CryptoSecure.Api.Security;
using Microsoft.Extensions.Options;
using NSwag;
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

    /// <summary>Where the document (/swagger/v1/swagger.json) and Swagger UI (/swagger) are served.</summary>
    private const string SwaggerPath = "/swagger";

    /// <summary>Registers the document generator and the Swagger UI settings.</summary>
    public static IServiceCollection AddCryptoSecureOpenApi(this IServiceCollection services)
    {
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
                Description = "The identity's API key from registration (or an admin key), sent as `Authorization: Bearer csk_...`.",
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

    /// <summary>
    /// Serves the document (always) and Swagger UI (when <see cref="ApiOptions.SwaggerUi"/> says so).
    /// </summary>
    /// <remarks>
    /// NSwag fills the document's "servers" from the request that first asks for it (Host and
    /// X-Forwarded-Host/Proto/Prefix) and caches that answer for everyone, and Swagger UI sends the
    /// API keys typed into it to that server. So the server is fixed by configuration (or relative),
    /// and the UI's paths ignore X-Forwarded-Prefix.
    /// </remarks>
    public static WebApplication UseCryptoSecureOpenApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var swaggerUi = api.SwaggerUi ?? app.Environment.IsDevelopment();

        // NSwag's middlewares compare every request's path with theirs (trimming it, an allocation
        // each time) and serve only under /swagger: the branch keeps them off every other request.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(SwaggerPath, StringComparison.OrdinalIgnoreCase), swagger =>
        {
            swagger.UseOpenApi(document => document.PostProcess = (openApi, _) =>
            {
                openApi.Servers.Clear();
                openApi.Servers.Add(new OpenApiServer { Url = api.ServerUrl() });
            });
            if (swaggerUi)
            {
                swagger.UseSwaggerUi(ui =>
                {
                    // List every operation on opening, as Swagger UI itself does (NSwag's default collapses them).
                    ui.DocExpansion = "list";
                    ui.TransformToExternalPath = (route, _) => api.PublicPathBase() + route;
                });
            }
        });

        return app;
    }
}
