using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CryptoSecure.Api.Hosting;

/// <summary>
/// JSON answers of actions end with a newline, so that <c>curl</c> output does not run into the
/// shell prompt (JSON parsers ignore trailing whitespace). Errors (<see cref="Errors.ErrorResponder"/>),
/// health reports and the service index end the same way.
/// </summary>
public sealed class JsonNewlineFilter : IAsyncAlwaysRunResultFilter
{
    /// <inheritdoc />
    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next();
        var response = context.HttpContext.Response;
        if (context.Result is ObjectResult && response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            await response.WriteAsync("\n", context.HttpContext.RequestAborted);
        }
    }
}
