using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Identities.Common;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Mediator;

namespace CryptoSecure.Application.Identities.Commands.RequestRecovery;

/// <summary>
/// Asks for a recovery code for a verified address whose API key was lost. Public, and the answer
/// is the same whether or not the address exists, is verified or had its mails this hour: the
/// request is only queued here and the work (look-up, code, mail) happens off the request path
/// (<see cref="RecoveryRequests"/>), so neither the answer nor its timing tells anything.
/// </summary>
/// <param name="Email">The address.</param>
public sealed record RequestRecovery(string Email) : ICommand;

public sealed class RequestRecoveryHandler(RecoveryRequests queue, IRequestContext request) : ICommandHandler<RequestRecovery>
{
    /// <inheritdoc />
    public ValueTask<Unit> Handle(RequestRecovery command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        queue.Enqueue(new RecoveryRequest(EmailAddress.Parse(command.Email), request.ClientAddress, request.RequestId));
        return ValueTask.FromResult(Unit.Value);
    }
}

public sealed class RequestRecoveryValidator : AbstractValidator<RequestRecovery>
{
    public RequestRecoveryValidator() => RuleFor(x => x.Email).ValidEmail();
}
