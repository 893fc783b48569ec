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
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Encryption.Commands.Decrypt;

/// <summary>Decrypts a ciphertext made for the identity (owner or admin only, see <see cref="IOwnerOnly"/>).</summary>
/// <param name="Email">The identity.</param>
/// <param name="Ciphertext">A JWE, or standard base64 of raw RSA-OAEP.</param>
public sealed record Decrypt(string Email, [Secret] string Ciphertext) : ICommand<DecryptionResult>, IOwnerOnly
{
    /// <inheritdoc />
    public override string ToString() => $"Decrypt {{ Email = {Email} }}";
}

/// <summary>A decrypted plaintext and the key version that opened it.</summary>
/// <param name="Plaintext">The bytes.</param>
/// <param name="KeyVersion">The version used.</param>
public sealed record DecryptionResult([Secret] byte[] Plaintext, int KeyVersion)
{
    /// <inheritdoc />
    public override string ToString() => $"DecryptionResult {{ KeyVersion = {KeyVersion}, Plaintext = [{Plaintext.Length} bytes] }}";
}
public sealed class DecryptHandler(IKeyStore store, KeyRingDecryptor decryptor, AuditRecorder audit, IRequestContext request) : ICommandHandler<Decrypt, DecryptionResult>
{
    /// <inheritdoc />
    public async ValueTask<DecryptionResult> Handle(Decrypt command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identity = (await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false)).UsableBy(request);
        (byte[] Plaintext, int KeyVersion, CiphertextFormat Format) opened;
        try
        {
            opened = await decryptor.OpenAsync(identity, command.Ciphertext, request.FairShareKey, cancellationToken).ConfigureAwait(false);
        }
        catch (DecryptionFailedException)
        {
            await audit.RecordAsync(identity.Id, AuditAction.Decrypted, AuditOutcome.Failure, null, cancellationToken).ConfigureAwait(false);
            throw;
        }

        await audit.RecordAsync(identity.Id, AuditAction.Decrypted, AuditOutcome.Success, opened.KeyVersion, cancellationToken).ConfigureAwait(false);
        return new DecryptionResult(opened.Plaintext, opened.KeyVersion);
    }
}
public sealed class DecryptValidator : AbstractValidator<Decrypt>
{
    /// <summary>Ciphertexts are held to the plaintext limit encryption has (see <see cref="CiphertextLimit"/>).</summary>
    public DecryptValidator(IOptions<EncryptionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Ciphertext).NotEmpty().WithMessage("ciphertext is required.")
            .WithinPlaintextLimit(options.Value.MaxPlaintextBytes);
    }
}
