using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Identities.Commands.DeleteIdentity;

/// <summary>
/// Deletes an identity. With <c>Keys:DeletionWaitingDays</c> above 0 (the default) the identity is
/// disabled at once and crypto-shredded when the waiting period has passed, unless restored
/// meanwhile; with 0, or <paramref name="Purge"/> by an admin, it is destroyed at once with every
/// sealed private key (crypto-shredding): ciphertexts made for it can never be decrypted again,
/// and the address can be registered anew. Deleting an identity whose deletion is already pending
/// changes nothing and answers the time already set.
/// </summary>
/// <param name="Email">The address.</param>
/// <param name="Purge">Destroy at once, whatever the waiting period; admins only (an erasure request).</param>
public sealed record DeleteIdentity(string Email, bool Purge = false) : ICommand<DeletionOutcome>, IOwnerOnly;

/// <summary>What a deletion did.</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="DeletesAt">When the identity is shredded; null when it was destroyed at once.</param>
public sealed record DeletionOutcome(string Email, DateTimeOffset? DeletesAt)
{
    /// <summary>Whether the identity is gone already.</summary>
    public bool Immediate => DeletesAt is null;
}

public sealed class DeleteIdentityHandler(IKeyStore store, AuditRecorder audit, IRequestContext request, TimeProvider clock, IOptions<KeyOptions> options)
    : ICommandHandler<DeleteIdentity, DeletionOutcome>
{
    /// <inheritdoc />
    public async ValueTask<DeletionOutcome> Handle(DeleteIdentity command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Purge && !request.Caller.IsAdmin)
        {
            throw new OperationForbiddenException("Only an administrator may purge an identity at once (?purge=true); its owner's deletion waits Keys:DeletionWaitingDays.");
        }

        var identity = (await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false)).OrNotFound();
        var waitingDays = options.Value.DeletionWaitingDays;
        if (command.Purge || waitingDays == 0)
        {
            var deleted = audit.Create(identity.Id, AuditAction.Deleted, AuditOutcome.Success, identity.Keys.Latest.Version);
            if (!await store.DeleteAsync(identity.Id, deleted, cancellationToken).ConfigureAwait(false))
            {
                throw new IdentityNotFoundException();
            }

            return new DeletionOutcome(identity.Email.Display, null);
        }

        if (identity.DeletesAt is { } pending)
        {
            return new DeletionOutcome(identity.Email.Display, pending);
        }

        // Whole store milliseconds, so the time answered is the time stored and later shown.
        var deletesAt = TruncateToMilliseconds(clock.GetUtcNow().AddDays(waitingDays));
        try
        {
            var scheduled = await store.ChangeAsync(
                identity,
                current => new IdentityChange(
                    current.ScheduleDeletion(deletesAt),
                    [audit.Create(current.Id, AuditAction.DeletionScheduled, AuditOutcome.Success, current.Keys.Latest.Version)]),
                cancellationToken).ConfigureAwait(false);
            return new DeletionOutcome(scheduled.Email.Display, scheduled.DeletesAt);
        }
        catch (PendingDeletionException ex)
        {
            // Scheduled by a concurrent request meanwhile: the same answer as a repeated delete.
            return new DeletionOutcome(identity.Email.Display, ex.DeletesAt);
        }
    }

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}

public sealed class DeleteIdentityValidator : AbstractValidator<DeleteIdentity>
{
    public DeleteIdentityValidator() => RuleFor(x => x.Email).ValidEmail();
}
