using CryptoSecure.Api.Contracts;
using CryptoSecure.Api.Errors;
using Microsoft.AspNetCore.Mvc;
using Namotion.Reflection;
using NJsonSchema;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace CryptoSecure.Api.OpenApi;

/// <summary>
/// Documents every error answer in the shape the server really writes: RFC 9457 problem details as
/// <c>application/problem+json</c> on v1 routes, <c>{"error": "..."}</c> as <c>application/json</c> on
/// the prototype's (which are also marked deprecated). Adds the answers any operation can give and
/// its attributes do not list: 429 (rate limited), 503 (store unavailable), 409 (pending deletion) on
/// routes that name an identity, and 413/415 where there is a body.
/// </summary>
/// <remarks>
/// NSwag puts every response under the action's [Produces] type, whatever the content type named in
/// [ProducesResponseType]; this processor sets the error responses' media type after the fact.
/// </remarks>
public sealed class ErrorResponsesProcessor : IOperationProcessor
{
    /// <summary>Media type of v1 error answers.</summary>
    public const string ProblemMediaType = "application/problem+json";

    /// <summary>Media type of the prototype's answers (errors included).</summary>
    public const string JsonMediaType = "application/json";

    /// <inheritdoc />
    public bool Process(OperationProcessorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var operation = context.OperationDescription.Operation;
        var prototype = IsPrototypeRoute(context);
        if (prototype)
        {
            operation.IsDeprecated = true;
        }

        var errorSchema = prototype ? SchemaOf<PrototypeError>(context) : SchemaOf<ProblemDetails>(context);
        var mediaType = prototype ? JsonMediaType : ProblemMediaType;

        AddIfMissing(operation, StatusCodes.Status429TooManyRequests, "Rate limited: retry after the seconds in the Retry-After header.");
        AddIfMissing(operation, StatusCodes.Status503ServiceUnavailable, "The key store is unavailable: retry after the seconds in the Retry-After header.");
        if (!prototype && context.OperationDescription.Path.Contains("{email}", StringComparison.Ordinal))
        {
            // Every operation on an identity but its state, audit trail, restore and deletion
            // answers this to its owner (and admins) while a deletion is pending; the routes that
            // can also answer 409 for another reason list it themselves.
            AddIfMissing(operation, StatusCodes.Status409Conflict, "The identity's deletion is pending (problem type pending-deletion; told only to its owner or an admin, everyone else gets 404): restore it first.");
        }
        if (operation.RequestBody is not null)
        {
            AddIfMissing(operation, StatusCodes.Status413PayloadTooLarge, "Body too large.");
            AddIfMissing(operation, StatusCodes.Status415UnsupportedMediaType, "The body is not JSON (Content-Type must be application/json).");
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (!IsError(status))
            {
                continue;
            }

            var schema = response.Schema ?? errorSchema;
            response.Content.Clear();
            response.Content[mediaType] = new OpenApiMediaType { Schema = schema };
        }

        SortByStatus(operation);
        return true;
    }

    // Readers (and diffs of docs/openapi.json) find a response by its status code.
    private static void SortByStatus(OpenApiOperation operation)
    {
        var sorted = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in sorted)
        {
            operation.Responses[status] = response;
        }
    }

    /// <summary>Whether the action is one of the prototype's routes.</summary>
    public static bool IsPrototypeRoute(OperationProcessorContext context) =>
        context is AspNetCoreOperationProcessorContext aspNetCore
        && aspNetCore.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<PrototypeRouteAttribute>().Any();

    private static bool IsError(string status) =>
        int.TryParse(status, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) && code >= 400;

    private static void AddIfMissing(OpenApiOperation operation, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses.ContainsKey(key))
        {
            operation.Responses[key] = new OpenApiResponse { Description = description };
        }
    }

    private static JsonSchema SchemaOf<T>(OperationProcessorContext context) =>
        context.SchemaGenerator.GenerateWithReferenceAndNullability<JsonSchema>(typeof(T).ToContextualType(), false, context.SchemaResolver);
}
