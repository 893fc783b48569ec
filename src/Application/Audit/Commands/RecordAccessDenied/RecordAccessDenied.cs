using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using Mediator;

namespace CryptoSecure.Application.Audit.Commands.RecordAccessDenied;

/// <summary>
/// Records that a caller was turned away from an owner operation on <paramref name="Email"/>.
/// Nothing is recorded for addresses that are not registered. The trail counts repeated refusals
/// of one caller kind from one address within a minute into one event (<see cref="AuditAggregation"/>).
/// </summary>
/// <param name="Email">The address in the request, as sent.</param>
public sealed record RecordAccessDenied(string Email) : ICommand;
public sealed class RecordAccessDeniedHandler(IKeyStore store, AuditRecorder audit) : ICommandHandler<RecordAccessDenied>
{
    /// <inheritdoc />
    public async ValueTask<Unit> Handle(RecordAccessDenied command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (EmailAddress.TryParse(command.Email, out var email, out _)
            && await store.FindAsync(email!, cancellationToken).ConfigureAwait(false) is { } identity)
        {
            await audit.RecordAsync(identity.Id, AuditAction.Denied, AuditOutcome.Denied, null, cancellationToken).ConfigureAwait(false);
        }

        return Unit.Value;
    }
}
