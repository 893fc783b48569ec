using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Keys.Common;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Keys.Commands.RotateKey;

/// <summary>
/// Adds a key version (a new encryption and a new signing key pair); new encryptions and signatures use it, older versions keep decrypting until the minimum
/// decryption version is raised past them.
/// </summary>
/// <param name="Email">The address.</param>
/// <param name="KeySize">Size of the new version; null for <c>Keys:DefaultKeySize</c>.</param>
public sealed record RotateKey(string Email, int? KeySize = null) : ICommand<KeyRingView>, IOwnerOnly;
public sealed class RotateKeyHandler(
    IKeyStore store,
    IRsaKeyFactory keyFactory,
    IRequestContext request,
    IKeyProtector protector,
    IKeyFormatter formatter,
    AuditRecorder audit,
    TimeProvider clock,
    IOptions<KeyOptions> options) : ICommandHandler<RotateKey, KeyRingView>
{
    /// <inheritdoc />
    public async ValueTask<KeyRingView> Handle(RotateKey command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identity = (await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false)).UsableBy(request);
        var size = KeySize.FromBits(command.KeySize ?? options.Value.DefaultKeySize);

        // One pair of key pairs, however many attempts: generating them is the expensive part.
        using var keyPairs = await VersionKeyPairs.CreateAsync(keyFactory, size, request.FairShareKey, cancellationToken).ConfigureAwait(false);
        var rotated = await store.ChangeAsync(
            identity,
            current =>
            {
                // The version number is part of the sealed keys' binding, so each attempt seals anew
                // for the number it claims; a lost race claims the next one.
                var number = current.Keys.NextVersion;
                var next = current.Rotate(keyPairs.ToKeyVersion(protector, KeyBinding.For(current, number), clock.GetUtcNow()));
                return new IdentityChange(next, [audit.Create(current.Id, AuditAction.Rotated, AuditOutcome.Success, number)]);
            },
            cancellationToken).ConfigureAwait(false);
        return KeyRingView.Of(rotated, formatter);
    }
}
public sealed class RotateKeyValidator : AbstractValidator<RotateKey>
{
    public RotateKeyValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.KeySize).SupportedKeySize();
    }
}
