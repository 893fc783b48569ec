using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Identities.Commands.ReplaceApiKey;
using CryptoSecure.Domain;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Mediator;

namespace CryptoSecure.Application.Identities.Commands.CompleteRecovery;

/// <summary>
/// Replaces a lost API key with the recovery code mailed to the verified address: whoever controls
/// the mailbox controls the identity. Public; an unknown or unverified address, no code, a wrong,
/// expired or used-up code all get the same 400. Wrong codes count against the code (5 end it).
/// </summary>
/// <param name="Email">The address.</param>
/// <param name="Code">The mailed recovery code.</param>
public sealed record CompleteRecovery(string Email, [Secret] string Code) : ICommand<ReplacedApiKey>
{
    /// <inheritdoc />
    public override string ToString() => "CompleteRecovery { code redacted }";
}

public sealed class CompleteRecoveryHandler(IKeyStore store, IApiKeyIssuer issuer, AuditRecorder audit, TimeProvider clock)
    : ICommandHandler<CompleteRecovery, ReplacedApiKey>
{
    /// <inheritdoc />
    public async ValueTask<ReplacedApiKey> Handle(CompleteRecovery command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identity = await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false);
        // A disabled identity (its deletion pending) is answered as a wrong code: this public route
        // must not tell a pending deletion from anything else, and such an identity takes no new key.
        if (identity is not { EmailVerified: true, Code.Purpose: CodePurpose.Recovery, IsPendingDeletion: false })
        {
            throw new WrongCodeRefusedException();
        }

        var candidate = OneTimeCode.HashOf(identity.Id, command.Code);
        var now = clock.GetUtcNow();
        var key = issuer.Issue();
        var accepted = false;
        try
        {
            await store.ChangeAsync(
                identity,
                current =>
                {
                    accepted = current.AcceptsCode(CodePurpose.Recovery, candidate, now);
                    return accepted
                        ? new IdentityChange(current.Recover(candidate, key.Hash, now), [audit.Create(current.Id, AuditAction.Recovered, AuditOutcome.Success, null)])
                        : new IdentityChange(current.RecordWrongCode(), [audit.Create(current.Id, AuditAction.Recovered, AuditOutcome.Failure, null)]);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PendingDeletionException)
        {
            // Its deletion was scheduled meanwhile: the same answer as above.
            throw new WrongCodeRefusedException();
        }

        return accepted ? new ReplacedApiKey(key.Key) : throw new WrongCodeRefusedException();
    }
}

public sealed class CompleteRecoveryValidator : AbstractValidator<CompleteRecovery>
{
    public CompleteRecoveryValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Code).NotEmpty().MaximumLength(64);
    }
}
