using CryptoSecure.Application.Audit.Commands.RecordAccessDenied;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Application.Common.Behaviours;

/// <summary>
/// Lets an <see cref="IOwnerOnly"/> message through only for the identity's owner or an admin
/// (<see cref="Caller.MayActFor"/>), before validation and the handler: a stranger learns nothing
/// about the input, and nothing is read, changed or exported for them. Anyone else is refused:
/// without a credential with <see cref="CallerNotAuthenticatedException"/> (only logged, by
/// LoggingBehaviour, as over HTTP), with another identity's key with <see cref="CallerNotOwnerException"/>, after the refusal
/// is recorded through <see cref="RecordAccessDenied"/> (counted per bucket, registered addresses only).
/// </summary>
/// <remarks>
/// Over HTTP the OwnerOrAdmin policy applies the same rule before the action runs and records its
/// own refusals, so a request it refuses never reaches this behaviour and no refusal is recorded
/// twice. This check is what holds for every other way a message is sent, and if a route loses
/// its policy.
/// </remarks>
public sealed partial class OwnerOnlyBehaviour<TMessage, TResponse>(IRequestContext request, ISender sender, ILogger<OwnerOnlyBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage, IOwnerOnly
{
    private static readonly string MessageName = typeof(TMessage).Name;

    /// <inheritdoc />
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(next);
        var caller = request.Caller;
        if (caller.MayActFor(message.Email))
        {
            return await next(message, cancellationToken).ConfigureAwait(false);
        }

        if (!caller.IsAuthenticated)
        {
            throw new CallerNotAuthenticatedException();
        }

        try
        {
            await sender.Send(new RecordAccessDenied(message.Email), cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            // The refusal stands whether or not it could be written down.
            LogAuditFailed(logger, MessageName, ex);
        }

        throw new CallerNotOwnerException();
    }

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "{Message} refused, but the refusal could not be recorded in the audit trail")]
    private static partial void LogAuditFailed(ILogger logger, string message, Exception exception);
}
