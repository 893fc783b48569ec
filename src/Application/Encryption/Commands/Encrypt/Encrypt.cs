using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Encryption.Common;
using CryptoSecure.Domain;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Encryption.Commands.Encrypt;

/// <summary>Encrypts data to an identity's latest key. Public: no credential needed.</summary>
/// <param name="Email">The recipient.</param>
/// <param name="Plaintext">Text to encrypt (as UTF-8); exclusive with <paramref name="PlaintextBase64"/>.</param>
/// <param name="PlaintextBase64">Binary data to encrypt, base64.</param>
/// <param name="Format">"jwe" (default) or "rsa-oaep".</param>
public sealed record Encrypt(string Email, [Secret] string? Plaintext, [Secret] string? PlaintextBase64 = null, string? Format = null) : ICommand<EncryptionResult>
{
    /// <inheritdoc />
    public override string ToString() => $"Encrypt {{ Email = {Email}, Format = {Format ?? CiphertextFormats.Jwe} }}";
}

/// <summary>A ciphertext and the key version it was made with.</summary>
/// <param name="Ciphertext">The ciphertext.</param>
/// <param name="KeyVersion">The version used.</param>
public sealed record EncryptionResult(Ciphertext Ciphertext, int KeyVersion);
public sealed class EncryptHandler(IKeyStore store, KeyRingEncryptor encryptor, AuditRecorder audit, IOptions<EncryptionOptions> options, IRequestContext request)
    : ICommandHandler<Encrypt, EncryptionResult>
{
    /// <inheritdoc />
    public async ValueTask<EncryptionResult> Handle(Encrypt command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!CiphertextFormats.TryParse(command.Format, out var format))
        {
            throw new ArgumentException("The validator lets only known formats through.", nameof(command));
        }

        var identity = (await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false)).UsableBy(request);
        var plaintext = PlaintextInput.Decode(command.Plaintext, command.PlaintextBase64, options.Value.MaxPlaintextBytes);
        try
        {
            if (KeyRingEncryptor.MaxPlaintextBytes(identity, format) is { } limit && plaintext.Length > limit)
            {
                var size = identity.Keys.Latest.Size;
                throw new ValidationException([new ValidationFailure(
                    "plaintext",
                    $"rsa-oaep encrypts at most {limit} bytes with this identity's {size} key; the plaintext is {plaintext.Length} bytes. Use format \"jwe\" for larger data.")]);
            }

            var (ciphertext, keyVersion) = encryptor.Encrypt(identity, plaintext, format);
            await audit.RecordAsync(identity.Id, AuditAction.Encrypted, AuditOutcome.Success, keyVersion, cancellationToken).ConfigureAwait(false);
            return new EncryptionResult(ciphertext, keyVersion);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
public sealed class EncryptValidator : AbstractValidator<Encrypt>
{
    public EncryptValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x).Custom((command, context) =>
        {
            if ((command.Plaintext is null) == (command.PlaintextBase64 is null))
            {
                context.AddFailure("plaintext", "Give exactly one of plaintext (text) and plaintextBase64 (binary).");
            }
        });
        RuleFor(x => x.Format).Must(f => CiphertextFormats.TryParse(f, out _))
            .WithMessage($"format must be \"{CiphertextFormats.Jwe}\" or \"{CiphertextFormats.RsaOaep}\".");
    }
}
