using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Encryption.Commands.Encrypt;
using CryptoSecure.Application.Encryption.Common;
using CryptoSecure.Domain;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Encryption.Commands.Rewrap;

/// <summary>
/// Re-encrypts a ciphertext under the identity's latest key version, in the same format, without
/// the plaintext leaving the service (as Vault transit's rewrap).
/// </summary>
/// <param name="Email">The identity.</param>
/// <param name="Ciphertext">A JWE, or base64 of raw RSA-OAEP.</param>
public sealed record Rewrap(string Email, [Secret] string Ciphertext) : ICommand<EncryptionResult>, IOwnerOnly
{
    /// <inheritdoc />
    public override string ToString() => $"Rewrap {{ Email = {Email} }}";
}
public sealed class RewrapHandler(IKeyStore store, KeyRingDecryptor decryptor, KeyRingEncryptor encryptor, AuditRecorder audit, IRequestContext request)
    : ICommandHandler<Rewrap, EncryptionResult>
{
    /// <inheritdoc />
    public async ValueTask<EncryptionResult> Handle(Rewrap command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identity = (await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false)).UsableBy(request);
        byte[] plaintext;
        CiphertextFormat format;
        try
        {
            (plaintext, _, format) = await decryptor.OpenAsync(identity, command.Ciphertext, request.FairShareKey, cancellationToken).ConfigureAwait(false);
        }
        catch (DecryptionFailedException)
        {
            await audit.RecordAsync(identity.Id, AuditAction.Rewrapped, AuditOutcome.Failure, null, cancellationToken).ConfigureAwait(false);
            throw;
        }

        try
        {
            if (KeyRingEncryptor.MaxPlaintextBytes(identity, format) is { } limit && plaintext.Length > limit)
            {
                // Raw RSA-OAEP under a smaller latest key: say so without echoing any length.
                await audit.RecordAsync(identity.Id, AuditAction.Rewrapped, AuditOutcome.Failure, null, cancellationToken).ConfigureAwait(false);
                throw new ValidationException([new ValidationFailure(
                    "ciphertext",
                    "This rsa-oaep ciphertext's plaintext is too long for raw RSA-OAEP with the latest key version; decrypt it and encrypt it again as jwe.")]);
            }

            var (ciphertext, keyVersion) = encryptor.Encrypt(identity, plaintext, format);
            await audit.RecordAsync(identity.Id, AuditAction.Rewrapped, AuditOutcome.Success, keyVersion, cancellationToken).ConfigureAwait(false);
            return new EncryptionResult(ciphertext, keyVersion);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
public sealed class RewrapValidator : AbstractValidator<Rewrap>
{
    /// <summary>Ciphertexts are held to the plaintext limit encryption has (see <see cref="CiphertextLimit"/>).</summary>
    public RewrapValidator(IOptions<EncryptionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Ciphertext).NotEmpty().WithMessage("ciphertext is required.")
            .WithinPlaintextLimit(options.Value.MaxPlaintextBytes);
    }
}
