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
        if (identity is not { EmailVerified: true, Code.Purpose: CodePurpose.Recovery })
        {
            throw new WrongCodeRefusedException();
        }

        var candidate = OneTimeCode.HashOf(identity.Id, command.Code);
        var now = clock.GetUtcNow();
        var key = issuer.Issue();
        var accepted = false;
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
