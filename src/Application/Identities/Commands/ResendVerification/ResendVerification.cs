using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Identities.Common;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Identities.Commands.ResendVerification;

/// <summary>
/// Mails a new registration code (the old one stops working, wrong entries start again from 0),
/// within the per-address mail limit. For a pending registration the code lives until the
/// registration expires; for an identity that is usable but unverified (verification off, or from
/// before it existed), <c>Registration:VerificationHours</c> from now.
/// </summary>
/// <param name="Email">The address.</param>
public sealed record ResendVerification(string Email) : ICommand<VerificationPending>, IOwnerOnly;

/// <summary>A code is on its way.</summary>
/// <param name="EmailVerified">False.</param>
/// <param name="VerificationExpiresAt">When the mailed code stops working.</param>
public sealed record VerificationPending(bool EmailVerified, DateTimeOffset VerificationExpiresAt);

public sealed class ResendVerificationHandler(
    IKeyStore store, IdentityLookup identities, IRequestContext request, VerificationCodes codes, AuditRecorder audit, TimeProvider clock, IOptions<RegistrationOptions> options)
    : ICommandHandler<ResendVerification, VerificationPending>
{
    /// <inheritdoc />
    public async ValueTask<VerificationPending> Handle(ResendVerification command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (request.Caller.IsAdmin)
        {
            throw new OperationForbiddenException("Only the identity's owner can ask for a verification code.");
        }

        var identity = await identities.UsableAsync(command.Email, cancellationToken).ConfigureAwait(false);
        if (identity.EmailVerified)
        {
            throw new AlreadyVerifiedRefusedException();
        }

        await codes.CountMailAsync(identity.Email, cancellationToken).ConfigureAwait(false);
        var expiresAt = identity.PendingUntil ?? clock.GetUtcNow() + options.Value.VerificationWindow;
        var (code, stored) = VerificationCodes.New(identity.Id, CodePurpose.Registration, expiresAt);
        try
        {
            await store.ChangeAsync(
                identity,
                current => new IdentityChange(current.AwaitCode(stored), [audit.Create(current.Id, AuditAction.VerificationCodeSent, AuditOutcome.Success, null)]),
                cancellationToken).ConfigureAwait(false);
        }
        catch (AlreadyVerifiedException)
        {
            throw new AlreadyVerifiedRefusedException();
        }

        codes.Send(identity.Email, CodePurpose.Registration, code, expiresAt);
        return new VerificationPending(false, expiresAt);
    }
}

public sealed class ResendVerificationValidator : AbstractValidator<ResendVerification>
{
    public ResendVerificationValidator() => RuleFor(x => x.Email).ValidEmail();
}
