using CryptoSecure.Api.Limits;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace CryptoSecure.Api.Errors;

/// <summary>MVC's own client errors (model binding, 415, 404 from actions) in the endpoint's error shape.</summary>
public static class ClientErrors
{
    /// <summary>Model-binding failures: malformed JSON, wrong types, missing body.</summary>
    public static IActionResult InvalidModelState(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Several model-state keys can name the same field ("$" and "request" are both the body).
        var errors = context.ModelState
            .Where(e => e.Value is { Errors.Count: > 0 })
            .GroupBy(e => FieldName(e.Key))
            .ToDictionary(
                g => g.Key,
                g => g.SelectMany(e => e.Value!.Errors)
                    .Select(x => string.IsNullOrEmpty(x.ErrorMessage) ? "The value is not valid." : x.ErrorMessage)
                    .Distinct()
                    .ToArray());
        return new ErrorAnswerResult(ProblemCatalogue.Validation.With("The body is not valid JSON of the expected shape.", errors));
    }

    /// <summary>The answer for a bare status code (no route, wrong method, not JSON…).</summary>
    public static ErrorAnswer ForStatus(int status) => status switch
    {
        StatusCodes.Status415UnsupportedMediaType => RequestLimits.NotJson,
        StatusCodes.Status413PayloadTooLarge => RequestLimits.TooLarge,
        StatusCodes.Status404NotFound => ProblemCatalogue.NotFound.With("No such route."),
        StatusCodes.Status405MethodNotAllowed => ProblemCatalogue.MethodNotAllowed.With("This route does not take this HTTP method."),
        _ => ProblemCatalogue.ForStatus(status).With(null),
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
        return new ErrorAnswerResult(ClientErrors.ForStatus(clientError.StatusCode ?? StatusCodes.Status400BadRequest));
    }
}

/// <summary>
/// An MVC result that writes an <see cref="ErrorAnswer"/> through <see cref="ErrorResponder"/>, so MVC's
/// own errors take the same path (and content type) as every other error, untouched by [Produces].
/// </summary>
public sealed class ErrorAnswerResult(ErrorAnswer answer) : ActionResult
{
    /// <summary>The answer.</summary>
    public ErrorAnswer Answer { get; } = answer;

    /// <inheritdoc />
    public override Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ErrorResponder.WriteAsync(context.HttpContext, Answer);
    }
}
