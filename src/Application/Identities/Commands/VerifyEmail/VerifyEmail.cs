using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Identities.Common;
using CryptoSecure.Domain;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Mediator;

namespace CryptoSecure.Application.Identities.Commands.VerifyEmail;

/// <summary>
/// Proves the address: the owner (with the registration's API key) enters the code mailed to it.
/// Both are needed, so clicking nothing in a mail can verify a stranger's keys. The first of an
/// address's registrations to verify wins; the store destroys the others in the same transaction.
/// </summary>
/// <param name="Email">The address.</param>
/// <param name="Code">The mailed code.</param>
public sealed record VerifyEmail(string Email, [Secret] string Code) : ICommand<EmailVerification>, IOwnerOnly
{
    /// <inheritdoc />
    public override string ToString() => "VerifyEmail { code redacted }";
}

/// <summary>The address's standing after a verification.</summary>
/// <param name="EmailVerified">True.</param>
public sealed record EmailVerification(bool EmailVerified);

public sealed class VerifyEmailHandler(IKeyStore store, IdentityLookup identities, IRequestContext request, AuditRecorder audit, TimeProvider clock)
    : ICommandHandler<VerifyEmail, EmailVerification>
{
    /// <inheritdoc />
    public async ValueTask<EmailVerification> Handle(VerifyEmail command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (request.Caller.IsAdmin)
        {
            // The owner's key and the mailbox prove the address; an admin key proves neither.
            throw new OperationForbiddenException("Only the identity's owner can verify its address.");
        }

        var identity = await identities.UsableAsync(command.Email, cancellationToken).ConfigureAwait(false);
        if (identity.EmailVerified)
        {
            throw new AlreadyVerifiedRefusedException();
        }

        var candidate = OneTimeCode.HashOf(identity.Id, command.Code);
        var now = clock.GetUtcNow();
        var accepted = false;
        var saved = await store.ChangeAsync(
            identity,
            current =>
            {
                if (current.EmailVerified)
                {
                    throw new AlreadyVerifiedRefusedException();
                }

                accepted = current.AcceptsCode(CodePurpose.Registration, candidate, now);
                return accepted
                    ? new IdentityChange(current.Verify(candidate, now), [audit.Create(current.Id, AuditAction.EmailVerified, AuditOutcome.Success, null)])
                    : new IdentityChange(current.RecordWrongCode(), [audit.Create(current.Id, AuditAction.EmailVerified, AuditOutcome.Failure, null)]);
            },
            cancellationToken).ConfigureAwait(false);

        return accepted && saved.EmailVerified ? new EmailVerification(true) : throw new WrongCodeRefusedException();
    }
}

public sealed class VerifyEmailValidator : AbstractValidator<VerifyEmail>
{
    public VerifyEmailValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Code).NotEmpty().MaximumLength(64);
    }
}
