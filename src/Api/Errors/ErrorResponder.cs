using System.Globalization;
using System.Text.Json;
using CryptoSecure.Application.Common.Exceptions;

namespace CryptoSecure.Api.Errors;

/// <summary>Writes error answers: ProblemDetails on v1 routes, <c>{"error"}</c> on the prototype's.</summary>
public static class ErrorResponder
{
    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes a use case's refusal as the response, with its Retry-After when it has one.</summary>
    public static Task WriteRefusalAsync(HttpContext context, ClientFacingException refusal)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(refusal);
        if (refusal.RetryAfter is { } wait)
        {
            SetRetryAfter(context.Response, wait);
        }

        return WriteAsync(context, ProblemCatalogue.For(refusal.Kind).With(refusal.Message));
    }

    /// <summary>The Retry-After header: whole seconds, at least 1.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Writes <paramref name="answer"/> as the response.</summary>
    public static async Task WriteAsync(HttpContext context, ErrorAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(answer);
        context.Response.StatusCode = answer.Status;
        if (context.RequestServices.GetRequiredService<PrototypeRouteGroup>().Contains(context))
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
