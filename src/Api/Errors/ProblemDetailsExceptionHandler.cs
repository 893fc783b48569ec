using System.Text.Json;
using CryptoSecure.Api.Limits;
using CryptoSecure.Api.Security;
using CryptoSecure.Application.Common.Exceptions;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;

namespace CryptoSecure.Api.Errors;

/// <summary>
/// The one place where failures become HTTP answers (RFC 9457), each from the
/// <see cref="ProblemCatalogue"/>. A use case's refusal (<see cref="ClientFacingException"/>) is
/// answered with its own message; the server's failures with fixed texts, their details and
/// stack traces staying in the logs.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    // An unreachable store cannot know when it is back; a short wait keeps clients from hammering it.
    private static readonly TimeSpan StoreRetryAfter = TimeSpan.FromSeconds(5);

    private static readonly ErrorAnswer Internal = ProblemCatalogue.Internal.With("The request failed on the server; it has been logged.");

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        if (exception is ClientFacingException { Kind: ProblemKind.Unauthenticated })
        {
            // The use case's owner check refused (OwnerOnlyBehaviour): the same 401, challenge header included, as the HTTP policy's.
            await AuthorizationAnswers.WriteNotAuthenticatedAsync(httpContext);
            return true;
        }

        var retryAfter = exception switch
        {
            ClientFacingException { RetryAfter: { } wait } => wait,
            StoreUnavailableException => StoreRetryAfter,
            _ => (TimeSpan?)null,
        };
        if (retryAfter is { } seconds)
        {
            ErrorResponder.SetRetryAfter(httpContext.Response, seconds);
        }

        await ErrorResponder.WriteAsync(httpContext, Map(exception));
        return true;
    }

    private ErrorAnswer Map(Exception exception)
    {
        switch (exception)
        {
            case ValidationException validation:
                return ProblemCatalogue.Validation.With(
                    "See errors for each field.",
                    validation.Errors
                        .GroupBy(e => JsonNamingPolicy.CamelCase.ConvertName(e.PropertyName))
                        .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));
            case ClientFacingException refusal:
                // Its message is written for the client (a decryption failure's is the one uniform text).
                return ProblemCatalogue.For(refusal.Kind).With(refusal.Message);
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return RequestLimits.TooLarge;
            case BadHttpRequestException badRequest:
                return ProblemCatalogue.ForStatus(badRequest.StatusCode).With("The request could not be read.");
            case StoreUnavailableException { StorageFull: true }:
                LogStoreFull(logger, exception);
                return ProblemCatalogue.Unavailable.With("The key store's disk is full, so nothing was written; reads still work. Try again once space is freed.");
            case StoreUnavailableException:
                LogStoreUnavailable(logger, exception);
                return ProblemCatalogue.Unavailable.With("The key store is not reachable right now; try again shortly.");
            case KeyIntegrityException:
                LogIntegrity(logger, exception);
                return Internal;
            default:
                LogUnexpected(logger, exception);
                return Internal;
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Key store unavailable")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Key store disk full: writes are refused with 503 until space is freed")]
    private static partial void LogStoreFull(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Critical, Message = "A sealed private key failed its integrity check: the store was altered or the master key is wrong")]
    private static partial void LogIntegrity(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
