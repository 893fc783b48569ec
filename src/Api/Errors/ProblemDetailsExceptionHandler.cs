using System.Globalization;
using System.Text.Json;
using CryptoSecure.Api.Limits;
using CryptoSecure.Api.Security;
using CryptoSecure.Application.Common.Exceptions;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;

namespace CryptoSecure.Api.Errors;

/// <summary>
/// The one place where failures become HTTP answers (RFC 9457). Messages are fixed texts or the
/// application's own client-facing messages; exception details and stack traces stay in the logs.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>The body of every decryption failure, whatever the cause.</summary>
    public static readonly ErrorAnswer DecryptionFailed =
        new(StatusCodes.Status400BadRequest, ProblemTypes.DecryptionFailed, "Decryption failed", DecryptionFailedException.UniformMessage);

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        if (exception is CallerNotAuthenticatedException)
        {
            // The use case's owner check refused (OwnerOnlyBehaviour): the same 401 as the HTTP policy's.
            await AuthorizationAnswers.WriteNotAuthenticatedAsync(httpContext);
            return true;
        }

        var answer = Map(exception);
        if (answer.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // A busy answer says when capacity is likely back; an unreachable store cannot know.
            var seconds = exception is ServiceBusyException busy ? Math.Max(1, (int)Math.Ceiling(busy.RetryAfter.TotalSeconds)) : 5;
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await ErrorResponder.WriteAsync(httpContext, answer);
        return true;
    }

    private ErrorAnswer Map(Exception exception)
    {
        switch (exception)
        {
            case ValidationException validation:
                return new ErrorAnswer(
                    StatusCodes.Status400BadRequest,
                    ProblemTypes.Validation,
                    "The request is not valid.",
                    "See errors for each field.",
                    validation.Errors
                        .GroupBy(e => JsonNamingPolicy.CamelCase.ConvertName(e.PropertyName))
                        .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));
            case DecryptionFailedException:
                return DecryptionFailed;
            case IdentityNotFoundException or KeyVersionNotFoundException:
                return new ErrorAnswer(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", exception.Message);
            case IdentityAlreadyExistsException:
                return new ErrorAnswer(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Already registered", exception.Message);
            case ConcurrencyConflictException:
                return new ErrorAnswer(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Concurrent change", "The identity kept changing while this request ran; try again.");
            case CallerNotOwnerException:
                return AuthorizationAnswers.NotOwner;
            case OperationForbiddenException:
                return new ErrorAnswer(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden", exception.Message);
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return RequestLimits.TooLarge;
            case BadHttpRequestException badRequest:
                return new ErrorAnswer(badRequest.StatusCode, ProblemTypes.ClientError, "Bad request", "The request could not be read.");
            case ServiceBusyException:
                // The message is a fixed text with the suggested wait (see ServiceBusyException).
                return new ErrorAnswer(StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "Service busy", exception.Message);
            case StoreUnavailableException:
                LogStoreUnavailable(logger, exception);
                return new ErrorAnswer(StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "Service unavailable", "The key store is not reachable right now; try again shortly.");
            case KeyIntegrityException:
                LogIntegrity(logger, exception);
                return Internal;
            default:
                LogUnexpected(logger, exception);
                return Internal;
        }
    }

    private static readonly ErrorAnswer Internal =
        new(StatusCodes.Status500InternalServerError, ProblemTypes.Internal, "Internal error", "The request failed on the server; it has been logged.");

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Key store unavailable")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Critical, Message = "A sealed private key failed its integrity check: the store was altered or the master key is wrong")]
    private static partial void LogIntegrity(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
