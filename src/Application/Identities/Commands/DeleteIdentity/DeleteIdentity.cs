using CryptoSecure.Application.Identities.Common;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Domain.Audit;
using FluentValidation;
using Mediator;

namespace CryptoSecure.Application.Identities.Commands.DeleteIdentity;

/// <summary>
/// Destroys an identity and every sealed private key of it (crypto-shredding): ciphertexts made for
/// it can never be decrypted again, and the address can be registered anew.
/// </summary>
/// <param name="Email">The address.</param>
public sealed record DeleteIdentity(string Email) : ICommand, IOwnerOnly;
public sealed class DeleteIdentityHandler(IKeyStore store, IdentityLookup identities, AuditRecorder audit) : ICommandHandler<DeleteIdentity>
{
    /// <inheritdoc />
    public async ValueTask<Unit> Handle(DeleteIdentity command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identity = (await identities.FindAsync(command.Email, cancellationToken).ConfigureAwait(false)).OrNotFound();
        var deleted = audit.Create(identity.Id, AuditAction.Deleted, AuditOutcome.Success, identity.Keys.Latest.Version);
        if (!await store.DeleteAsync(identity.Id, deleted, cancellationToken).ConfigureAwait(false))
        {
            throw new IdentityNotFoundException();
        }

        return Unit.Value;
    }
}
public sealed class DeleteIdentityValidator : AbstractValidator<DeleteIdentity>
{
    public DeleteIdentityValidator() => RuleFor(x => x.Email).ValidEmail();
}
