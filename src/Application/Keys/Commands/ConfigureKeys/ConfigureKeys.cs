using CryptoSecure.Application.Identities.Common;
using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Keys.Common;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Keys;
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
public sealed class ConfigureKeysHandler(IKeyStore store, IdentityLookup identities, IKeyFormatter formatter, AuditRecorder audit) : ICommandHandler<ConfigureKeys, KeyRingView>
{
    /// <inheritdoc />
    public async ValueTask<KeyRingView> Handle(ConfigureKeys command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identity = (await identities.FindAsync(command.Email, cancellationToken).ConfigureAwait(false)).OrNotFound();
        try
        {
            // The bound is checked against the ring of each attempt: after a lost race, against the
            // ring as it now is.
            var configured = await store.ChangeAsync(
                identity,
                current => new IdentityChange(
                    current.Configure(command.MinDecryptionVersion),
                    [audit.Create(current.Id, AuditAction.Configured, AuditOutcome.Success, command.MinDecryptionVersion)]),
                cancellationToken).ConfigureAwait(false);
            return KeyRingView.Of(configured, formatter);
        }
        catch (MinDecryptionVersionOutOfRangeException ex)
        {
            throw new ValidationException([new ValidationFailure(
                "minDecryptionVersion",
                $"minDecryptionVersion must lie between 1 and the latest version ({ex.LatestVersion}).")]);
        }
    }
}
public sealed class ConfigureKeysValidator : AbstractValidator<ConfigureKeys>
{
    public ConfigureKeysValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.MinDecryptionVersion).GreaterThanOrEqualTo(1).WithMessage("minDecryptionVersion must be 1 or greater.");
    }
}
