using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Domain;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Mediator;

namespace CryptoSecure.Application.Keys.Queries.ExportPrivateKey;

/// <summary>
/// Exports one version of an identity's private key as PKCS#8 PEM: only when the identity was
/// registered exportable and the version is not below the minimum decryption version.
/// </summary>
/// <param name="Email">The address.</param>
/// <param name="Version">The version; null for the latest.</param>
/// <param name="Use">
/// Which of the version's keys, by its JWK "use": "enc" (default) the encryption key, "sig" the
/// signing key (a version from before signatures existed has none until it first signs: 404).
/// </param>
public sealed record ExportPrivateKey(string Email, int? Version = null, string? Use = null) : IQuery<ExportedPrivateKey>, IOwnerOnly
{
    /// <summary>"enc".</summary>
    public const string EncryptionUse = "enc";

    /// <summary>"sig".</summary>
    public const string SigningUse = "sig";

    /// <summary>Whether the signing key is asked for.</summary>
    public bool IsSigningKey => string.Equals(Use, SigningUse, StringComparison.Ordinal);
}

/// <summary>An exported private key.</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="Version">The version exported.</param>
/// <param name="PrivateKeyPem">PKCS#8 PEM ("BEGIN PRIVATE KEY").</param>
public sealed record ExportedPrivateKey(string Email, int Version, [Secret] string PrivateKeyPem)
{
    /// <inheritdoc />
    public override string ToString() => $"ExportedPrivateKey {{ Email = {Email}, Version = {Version} }}";
}
public sealed class ExportPrivateKeyHandler(IKeyStore store, IKeyProtector protector, IKeyFormatter formatter, AuditRecorder audit, IRequestContext request)
    : IQueryHandler<ExportPrivateKey, ExportedPrivateKey>
{
    /// <inheritdoc />
    public async ValueTask<ExportedPrivateKey> Handle(ExportPrivateKey query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var identity = (await store.FindAsync(EmailAddress.Parse(query.Email), cancellationToken).ConfigureAwait(false)).UsableBy(request);
        var version = identity.Keys.Find(query.Version ?? identity.Keys.Latest.Version) ?? throw new KeyVersionNotFoundException();

        if (!identity.Exportable)
        {
            await audit.RecordAsync(identity.Id, AuditAction.Exported, AuditOutcome.Denied, version.Version, cancellationToken).ConfigureAwait(false);
            throw new OperationForbiddenException("This identity was registered with non-exportable keys: its private keys never leave the service.");
        }

        if (!identity.CanExport(version.Version))
        {
            await audit.RecordAsync(identity.Id, AuditAction.Exported, AuditOutcome.Denied, version.Version, cancellationToken).ConfigureAwait(false);
            throw new OperationForbiddenException($"Key version {version.Version} is below the minimum decryption version ({identity.Keys.MinDecryptionVersion}) and can no longer be exported.");
        }

        var (sealedKey, binding) = query.IsSigningKey
            ? (version.SigningKey?.SealedPrivateKey ?? throw new SigningKeyNotFoundException(), KeyBinding.ForSigning(identity, version.Version))
            : (version.SealedPrivateKey, KeyBinding.For(identity, version.Version));
        string pem;
        using (var privateKey = protector.Unseal(sealedKey, binding))
        {
            pem = formatter.PrivateKeyPem(privateKey.Pkcs8);
        }

        await audit.RecordAsync(identity.Id, AuditAction.Exported, AuditOutcome.Success, version.Version, cancellationToken).ConfigureAwait(false);
        return new ExportedPrivateKey(identity.Email.Display, version.Version, pem);
    }
}
public sealed class ExportPrivateKeyValidator : AbstractValidator<ExportPrivateKey>
{
    public ExportPrivateKeyValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Version).GreaterThanOrEqualTo(1).WithMessage("version must be 1 or greater.");
        RuleFor(x => x.Use).Must(u => u is null or ExportPrivateKey.EncryptionUse or ExportPrivateKey.SigningUse)
            .WithMessage($"use must be \"{ExportPrivateKey.EncryptionUse}\" (the encryption key) or \"{ExportPrivateKey.SigningUse}\" (the signing key).");
    }
}
