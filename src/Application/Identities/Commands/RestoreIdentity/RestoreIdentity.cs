using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Keys.Common;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Mediator;

namespace CryptoSecure.Application.Identities.Commands.RestoreIdentity;

/// <summary>
/// Cancels a pending deletion: the identity, its keys and its API key work again as before. An
/// identity with no deletion pending is answered as it is, unchanged (a repeated restore is harmless).
/// </summary>
/// <param name="Email">The address.</param>
public sealed record RestoreIdentity(string Email) : ICommand<KeyRingView>, IOwnerOnly;

public sealed class RestoreIdentityHandler(IKeyStore store, IKeyFormatter formatter, AuditRecorder audit) : ICommandHandler<RestoreIdentity, KeyRingView>
{
    /// <inheritdoc />
    public async ValueTask<KeyRingView> Handle(RestoreIdentity command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identity = (await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false)).OrNotFound();
        if (!identity.IsPendingDeletion)
        {
            return KeyRingView.Of(identity, formatter);
        }

        try
        {
            var restored = await store.ChangeAsync(
                identity,
                current => current.IsPendingDeletion
                    ? new IdentityChange(current.CancelDeletion(), [audit.Create(current.Id, AuditAction.DeletionCancelled, AuditOutcome.Success, null)])
                    : throw new AlreadyRestoredException(current),
                cancellationToken).ConfigureAwait(false);
            return KeyRingView.Of(restored, formatter);
        }
        catch (AlreadyRestoredException ex)
        {
            // A concurrent restore won the race: the identity is what this one asked for.
            return KeyRingView.Of(ex.Current, formatter);
        }
    }

    private sealed class AlreadyRestoredException(Identity current) : Exception("Restored by a concurrent request.")
    {
        public Identity Current { get; } = current;
    }
}

public sealed class RestoreIdentityValidator : AbstractValidator<RestoreIdentity>
{
    public RestoreIdentityValidator() => RuleFor(x => x.Email).ValidEmail();
}
