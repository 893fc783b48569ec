using CryptoSecure.Api.Errors;
using CryptoSecure.Application.Audit.Commands.RecordAccessDenied;
using CryptoSecure.Application.Common.Exceptions;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Net.Http.Headers;

namespace CryptoSecure.Api.Security;

/// <summary>
/// Turns authorization failures into 401/403 answers in the endpoint's error shape. A refusal of
/// an authenticated caller (another identity's key) is recorded in the target identity's audit
/// trail; anonymous and unknown-key refusals are only logged, so strangers cannot fill an
/// identity's trail (or the store's write lock) with durable rows.
/// </summary>
/// <remarks>
/// The use case applies the same rule again (OwnerOnlyBehaviour) and records its own refusals the
/// same way. A request refused here never reaches the mediator, so each refusal is recorded by
/// exactly one of the two: here for HTTP, there for every other sender (or a route that lost its policy).
/// </remarks>
public sealed partial class AuthorizationAnswers(ILogger<AuthorizationAnswers> logger) : IAuthorizationMiddlewareResultHandler
{
    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Succeeded)
        {
            await next(context);
            return;
        }

        if (authorizeResult.Forbidden && context.GetRouteValue("email") is string email)
        {
            try
            {
                await context.RequestServices.GetRequiredService<ISender>().Send(new RecordAccessDenied(email), context.RequestAborted);
            }
            catch (StoreUnavailableException ex)
            {
                LogAuditFailed(logger, ex);
            }
        }

        if (authorizeResult.Challenged)
        {
            LogChallenged(logger, context.Request.Method, context.Request.Path);
            // The authentication middleware keeps only successful results; asking the scheme again
            // returns its cached result for this request, failure reason included (no second lookup).
            var failure = (await context.AuthenticateAsync(ApiKeyDefaults.Scheme)).Failure?.Message;
            await WriteNotAuthenticatedAsync(context, failure);
            return;
        }

        var adminOnly = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Policies.AdminOnly) == true;
        await ErrorResponder.WriteAsync(context, ProblemCatalogue.Forbidden.With(adminOnly ? Policies.AdminOnlyDetail : CallerNotOwnerException.Detail));
    }

    /// <summary>
    /// Writes the 401 of a caller without a valid key, with its challenge header: here, and for the
    /// use case's own check (<see cref="CallerNotAuthenticatedException"/>), so both answer alike.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="failure">Why the presented key did not authenticate, when one was presented.</param>
    public static Task WriteNotAuthenticatedAsync(HttpContext context, string? failure = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"CryptoSecure\"";
        return ErrorResponder.WriteAsync(context, ProblemCatalogue.Unauthorized.With(failure ?? CallerNotAuthenticatedException.Detail));
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Owner operation {Method} {Path} refused: no or unknown API key")]
    private static partial void LogChallenged(ILogger logger, string method, PathString path);

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Could not record an access denial in the audit trail")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception);
}
