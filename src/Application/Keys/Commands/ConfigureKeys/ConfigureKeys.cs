using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Keys.Common;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using FluentValidation.Results;
using Mediator;

namespace CryptoSecure.Application.Keys.Commands.ConfigureKeys;

/// <summary>
/// Sets the minimum decryption version: versions below it stop decrypting and exporting. It may be
/// raised or lowered again, never above the latest version.
/// </summary>
/// <param name="Email">The address.</param>
/// <param name="MinDecryptionVersion">1..latest.</param>
public sealed record ConfigureKeys(string Email, int MinDecryptionVersion) : ICommand<KeyRingView>, IOwnerOnly;

/// <summary>Handles <see cref="ConfigureKeys"/>.</summary>
public sealed class ConfigureKeysHandler(IKeyStore store, IKeyFormatter formatter, AuditRecorder audit) : ICommandHandler<ConfigureKeys, KeyRingView>
{
    private const int MaxAttempts = 16;

    /// <inheritdoc />
    public async ValueTask<KeyRingView> Handle(ConfigureKeys command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var email = EmailAddress.Parse(command.Email);
        for (var attempt = 1; ; attempt++)
        {
            var identity = (await store.FindAsync(email, cancellationToken).ConfigureAwait(false)).OrNotFound();
            if (!identity.Keys.IsValidMinDecryptionVersion(command.MinDecryptionVersion))
            {
                throw new ValidationException([new ValidationFailure(
                    "minDecryptionVersion",
                    $"minDecryptionVersion must lie between 1 and the latest version ({identity.Keys.Latest.Version}).")]);
            }

            try
            {
                var configured = audit.Create(identity.Id, AuditAction.Configured, AuditOutcome.Success, command.MinDecryptionVersion);
                await store.SetMinDecryptionVersionAsync(identity.Id, identity.Revision, command.MinDecryptionVersion, configured, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Re-read and check the bound against the ring as it now is.
            }
        }

        return KeyRingView.Of((await store.FindAsync(email, cancellationToken).ConfigureAwait(false)).OrNotFound(), formatter);
    }
}

/// <summary>Validates <see cref="ConfigureKeys"/>.</summary>
public sealed class ConfigureKeysValidator : AbstractValidator<ConfigureKeys>
{
    /// <summary>Defines the rules.</summary>
    public ConfigureKeysValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.MinDecryptionVersion).GreaterThanOrEqualTo(1).WithMessage("minDecryptionVersion must be 1 or greater.");
    }
}
