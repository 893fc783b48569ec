using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
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

namespace CryptoSecure.Application.Encryption.Commands.GenerateDataKey;

/// <summary>
/// Makes a fresh symmetric key for envelope encryption and wraps it to the identity's latest key.
/// Public like encryption: the wrapped key is only worth anything to the owner.
/// </summary>
/// <param name="Email">The identity the key is wrapped to.</param>
/// <param name="Bytes">Key length: 16, 24 or 32 (null for 32).</param>
/// <param name="IncludePlaintext">Whether the caller gets the key itself too (null for yes).</param>
public sealed record GenerateDataKey(string Email, int? Bytes = null, bool? IncludePlaintext = null) : ICommand<DataKeyResult>
{
    /// <summary>The lengths AES takes, so a data key is always usable as one.</summary>
    public static readonly IReadOnlyList<int> AllowedLengths = [16, 24, 32];

    /// <summary>Used when the caller names no length: AES-256.</summary>
    public const int DefaultLength = 32;
}

/// <summary>A data key: the bytes (unless declined) and the same bytes as a JWE to the identity.</summary>
/// <param name="PlaintextKey">The key; null when the caller asked not to receive it.</param>
/// <param name="Ciphertext">The key wrapped as a JWE, for the owner's decrypt.</param>
/// <param name="KeyVersion">The version it was wrapped to.</param>
public sealed record DataKeyResult([Secret] byte[]? PlaintextKey, Ciphertext Ciphertext, int KeyVersion)
{
    /// <inheritdoc />
    public override string ToString() => $"DataKeyResult {{ KeyVersion = {KeyVersion} }}";
}

public sealed class GenerateDataKeyHandler(IKeyStore store, KeyRingEncryptor encryptor, AuditRecorder audit, IRequestContext request)
    : ICommandHandler<GenerateDataKey, DataKeyResult>
{
    /// <inheritdoc />
    public async ValueTask<DataKeyResult> Handle(GenerateDataKey command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identity = (await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false)).UsableBy(request);
        var key = RandomNumberGenerator.GetBytes(command.Bytes ?? GenerateDataKey.DefaultLength);
        try
        {
            var (ciphertext, keyVersion) = encryptor.Encrypt(identity, key, CiphertextFormat.Jwe);
            await audit.RecordAsync(identity.Id, AuditAction.DataKeyGenerated, AuditOutcome.Success, keyVersion, cancellationToken).ConfigureAwait(false);

            // The answer gets its own copy so that the buffer zeroed below is the only one this handler made.
            return new DataKeyResult(command.IncludePlaintext ?? true ? key.ToArray() : null, ciphertext, keyVersion);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}

public sealed class GenerateDataKeyValidator : AbstractValidator<GenerateDataKey>
{
    public GenerateDataKeyValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Bytes).Must(b => b is null || GenerateDataKey.AllowedLengths.Contains(b.Value))
            .WithMessage("bytes must be 16, 24 or 32 (AES-128, AES-192 or AES-256); the default is 32.");
    }
}
