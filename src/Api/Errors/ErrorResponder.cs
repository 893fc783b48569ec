using System.Text.Json;
using CryptoSecure.Api.Contracts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CryptoSecure.Api.Errors;

/// <summary>Marks the prototype's routes: their errors use the prototype's <c>{"error": "..."}</c> shape.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class PrototypeRouteAttribute : Attribute;

/// <summary>Stable problem types (RFC 9457 §3.1.1: URNs, since they are identifiers, not pages).</summary>
public static class ProblemTypes
{
    /// <summary>Invalid input; comes with an "errors" map.</summary>
    public const string Validation = "urn:cryptosecure:problem:validation";

    /// <summary>Any decryption failure; one body for every cause.</summary>
    public const string DecryptionFailed = "urn:cryptosecure:problem:decryption-failed";

    /// <summary>No such identity or key version.</summary>
    public const string NotFound = "urn:cryptosecure:problem:not-found";

    /// <summary>Already registered, or a concurrent change won.</summary>
    public const string Conflict = "urn:cryptosecure:problem:conflict";

    /// <summary>No or unknown API key.</summary>
    public const string Unauthorized = "urn:cryptosecure:problem:unauthorized";

    /// <summary>Not the owner, or not allowed for this identity.</summary>
    public const string Forbidden = "urn:cryptosecure:problem:forbidden";

    /// <summary>Body too large.</summary>
    public const string PayloadTooLarge = "urn:cryptosecure:problem:payload-too-large";

    /// <summary>Body not JSON.</summary>
    public const string UnsupportedMediaType = "urn:cryptosecure:problem:unsupported-media-type";

    /// <summary>Rate limited.</summary>
    public const string TooManyRequests = "urn:cryptosecure:problem:too-many-requests";

    /// <summary>Key store unavailable, or the server at capacity for CPU-heavy work; always with Retry-After.</summary>
    public const string Unavailable = "urn:cryptosecure:problem:unavailable";

    /// <summary>Anything unexpected; never with details.</summary>
    public const string Internal = "urn:cryptosecure:problem:internal";

    /// <summary>Any other client error (unknown route, method not allowed…).</summary>
    public const string ClientError = "urn:cryptosecure:problem:client-error";
}

/// <summary>One error answer, in whichever shape the endpoint speaks.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Type">Problem type.</param>
/// <param name="Title">Short, fixed summary.</param>
/// <param name="Detail">Explanation for the client; never internals.</param>
/// <param name="Errors">Field errors (validation only), camelCase field names.</param>
public sealed record ErrorAnswer(int Status, string Type, string Title, string? Detail, IDictionary<string, string[]>? Errors = null)
{
    /// <summary>The RFC 9457 body.</summary>
    public ProblemDetails ToProblemDetails()
    {
        var problem = Errors is null ? new ProblemDetails() : new ValidationProblemDetails(Errors);
        problem.Status = Status;
        problem.Type = Type;
        problem.Title = Title;
        problem.Detail = Detail;
        return problem;
    }

    /// <summary>The prototype's body.</summary>
    public PrototypeError ToPrototypeError()
    {
        var message = Detail ?? Title;
        if (Errors is { Count: > 0 })
        {
            message = string.Join(" ", Errors.SelectMany(e => e.Value));
        }

        return new PrototypeError(message);
    }
}

/// <summary>Writes error answers: ProblemDetails on v1 routes, <c>{"error"}</c> on the prototype's.</summary>
public static class ErrorResponder
{
    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    // Routing answers some requests without reaching an action (415 from [Consumes], 405, 404), so
    // the endpoint's metadata is not always there: the prototype's paths decide then.
    private static readonly string[] PrototypePaths = ["/takeuser", "/get_keys", "/encrypt", "/decrypt"];

    /// <summary>Whether the request is for a prototype route (also after the exception handler cleared the endpoint).</summary>
    public static bool IsPrototypeRoute(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        return endpoint?.Metadata.GetMetadata<PrototypeRouteAttribute>() is not null
            || PrototypePaths.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Writes <paramref name="answer"/> as the response.</summary>
    public static async Task WriteAsync(HttpContext context, ErrorAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(answer);
        context.Response.StatusCode = answer.Status;
        if (IsPrototypeRoute(context))
        {
            await context.Response.WriteAsJsonAsync(answer.ToPrototypeError(), context.RequestAborted);
        }
        else
        {
            // Written here rather than through IProblemDetailsService, whose MVC writer would run
            // the output formatters inside actions only: one path, one shape, for every error.
            var problem = answer.ToProblemDetails();
            await context.Response.WriteAsJsonAsync(problem, problem.GetType(), ProblemJson, "application/problem+json", context.RequestAborted);
        }

        // Like every JSON answer (see JsonNewlineFilter): curl output ends its line.
        await context.Response.WriteAsync("\n", context.RequestAborted);
    }
}
