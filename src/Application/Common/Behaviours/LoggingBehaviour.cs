using System.Diagnostics;
using CryptoSecure.Application.Common.Exceptions;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Application.Common.Behaviours;

/// <summary>
/// Logs each use case by name, outcome and duration, at Debug: the request log already has one line
/// per request with the status the client got. It never logs the message itself: commands carry
/// plaintext and ciphertext. Decryption failures are logged by cause code only.
/// </summary>
public sealed partial class LoggingBehaviour<TMessage, TResponse>(ILogger<LoggingBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly string MessageName = typeof(TMessage).Name;

    /// <inheritdoc />
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken).ConfigureAwait(false);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogHandled(logger, MessageName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return response;
        }
        catch (DecryptionFailedException ex)
        {
            LogDecryptionFailed(logger, MessageName, ex.Reason);
            throw;
        }
        catch (Exception ex) when (ex is ValidationException or ClientFacingException)
        {
            // A refusal is the client's answer, not a failure: the server's own failures propagate
            // unlogged here and are logged once, with their details, where they become a 5xx.
            LogRejected(logger, MessageName, ex.GetType());
            throw;
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "{Message} handled in {ElapsedMs:0.0} ms")]
    private static partial void LogHandled(ILogger logger, string message, double elapsedMs);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "{Message} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string message, Type reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "{Message}: decryption failed, cause {FailureCode}")]
    private static partial void LogDecryptionFailed(ILogger logger, string message, DecryptionFailure failureCode);
}
