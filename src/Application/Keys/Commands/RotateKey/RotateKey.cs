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
/// Adds a key version; new encryptions use it, older versions keep decrypting until the minimum
/// decryption version is raised past them.
/// </summary>
/// <param name="Email">The address.</param>
/// <param name="KeySize">Size of the new version; null for <c>Keys:DefaultKeySize</c>.</param>
public sealed record RotateKey(string Email, int? KeySize = null) : ICommand<KeyRingView>, IOwnerOnly;

/// <summary>Handles <see cref="RotateKey"/>.</summary>
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
    /// <summary>Concurrent changes to one identity are rare; past this many lost races the caller gets 409.</summary>
    internal const int MaxAttempts = 16;

    /// <inheritdoc />
    public async ValueTask<KeyRingView> Handle(RotateKey command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var email = EmailAddress.Parse(command.Email);
        var identity = (await store.FindAsync(email, cancellationToken).ConfigureAwait(false)).OrNotFound();
        var size = KeySize.FromBits(command.KeySize ?? options.Value.DefaultKeySize);
        using var keyPair = await keyFactory.CreateAsync(size, request.FairShareKey, cancellationToken).ConfigureAwait(false);

        for (var attempt = 1; ; attempt++)
        {
            // The version number is part of the sealed key's binding, so each attempt seals anew
            // for the number it claims; a lost race re-reads and claims the next one.
            var number = identity.Keys.NextVersion;
            var version = new KeyVersion(number, size, keyPair.PublicKey, protector.Seal(keyPair.PrivateKeyPkcs8, KeyBinding.For(identity, number)), clock.GetUtcNow());
            try
            {
                var rotated = audit.Create(identity.Id, AuditAction.Rotated, AuditOutcome.Success, number);
                await store.AddKeyVersionAsync(identity.Id, identity.Revision, version, rotated, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                identity = (await store.FindAsync(email, cancellationToken).ConfigureAwait(false)).OrNotFound();
            }
        }

        identity = (await store.FindAsync(email, cancellationToken).ConfigureAwait(false)).OrNotFound();
        return KeyRingView.Of(identity, formatter);
    }
}

/// <summary>Validates <see cref="RotateKey"/>.</summary>
public sealed class RotateKeyValidator : AbstractValidator<RotateKey>
{
    /// <summary>Defines the rules.</summary>
    public RotateKeyValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.KeySize).SupportedKeySize();
    }
}
