using CryptoSecure.Api.Limits;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace CryptoSecure.Api.Errors;

/// <summary>MVC's own client errors (model binding, 415, 404 from actions) in the endpoint's error shape.</summary>
public static class ClientErrors
{
    /// <summary>Model-binding failures: malformed JSON, wrong types, missing body.</summary>
    public static IActionResult InvalidModelState(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var errors = context.ModelState
            .Where(e => e.Value is { Errors.Count: > 0 })
            .ToDictionary(
                e => FieldName(e.Key),
                e => e.Value!.Errors.Select(x => string.IsNullOrEmpty(x.ErrorMessage) ? "The value is not valid." : x.ErrorMessage).ToArray());
        var answer = new ErrorAnswer(StatusCodes.Status400BadRequest, ProblemTypes.Validation, "The request is not valid.", "The body is not valid JSON of the expected shape.", errors);
        return Result(context.HttpContext, answer);
    }

    /// <summary>Builds the result for an answer in the endpoint's shape.</summary>
    public static ObjectResult Result(HttpContext httpContext, ErrorAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (ErrorResponder.IsPrototypeRoute(httpContext))
        {
            return new ObjectResult(answer.ToPrototypeError()) { StatusCode = answer.Status, ContentTypes = { "application/json" } };
        }

        return new ObjectResult(answer.ToProblemDetails()) { StatusCode = answer.Status, ContentTypes = { "application/problem+json" } };
    }

    /// <summary>The answer for a bare status code (no route, wrong method, not JSON…).</summary>
    public static ErrorAnswer ForStatus(int status) => status switch
    {
        StatusCodes.Status415UnsupportedMediaType => RequestLimits.NotJson,
        StatusCodes.Status413PayloadTooLarge => RequestLimits.TooLarge,
        StatusCodes.Status404NotFound => new ErrorAnswer(status, ProblemTypes.NotFound, "Not found", "No such route."),
        StatusCodes.Status405MethodNotAllowed => new ErrorAnswer(status, ProblemTypes.ClientError, "Method not allowed", "This route does not take this HTTP method."),
        _ => new ErrorAnswer(status, status >= 500 ? ProblemTypes.Internal : ProblemTypes.ClientError, ReasonPhrases.GetReasonPhrase(status), null),
    };

    // "$.keySize" → "keySize"; "request" (the whole body) → "body".
    private static string FieldName(string key)
    {
        var name = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key;
        return name is "" or "$" or "request" ? "body" : JsonNamingPolicy.CamelCase.ConvertName(name);
    }
}

/// <summary>Answers MVC client errors (415, 404 from NotFound(), …) in the endpoint's error shape.</summary>
public sealed class ShapedClientErrorFactory : IClientErrorFactory
{
    /// <inheritdoc />
    public IActionResult GetClientError(ActionContext actionContext, IClientErrorActionResult clientError)
    {
        ArgumentNullException.ThrowIfNull(actionContext);
        ArgumentNullException.ThrowIfNull(clientError);
        return ClientErrors.Result(actionContext.HttpContext, ClientErrors.ForStatus(clientError.StatusCode ?? StatusCodes.Status400BadRequest));
    }
}
