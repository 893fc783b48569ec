using CryptoSecure.Application.Audit.Queries.GetAuditTrail;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Encryption.Commands.Decrypt;
using CryptoSecure.Application.Encryption.Commands.Encrypt;
using CryptoSecure.Application.Encryption.Commands.GenerateDataKey;
using CryptoSecure.Application.Encryption.Common;
using CryptoSecure.Application.Identities.Commands.RegisterIdentity;
using CryptoSecure.Application.Identities.Commands.ReplaceApiKey;
using CryptoSecure.Application.Identities.Commands.ResendVerification;
using CryptoSecure.Application.Identities.Commands.VerifyEmail;
using CryptoSecure.Application.Keys.Common;
using CryptoSecure.Application.Keys.Queries.ExportPrivateKey;
using CryptoSecure.Application.Keys.Queries.GetJsonWebKeySet;
using CryptoSecure.Application.Signatures.Commands.Sign;
using CryptoSecure.Application.Signatures.Commands.Verify;
using CryptoSecure.Application.Signatures.Common;
using CryptoSecure.Domain.Audit;
using Riok.Mapperly.Abstractions;

namespace CryptoSecure.Api.Contracts;

/// <summary>Use-case results to HTTP contracts (compile-time generated, strict: every member mapped or named here).</summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class ContractMapper
{
    /// <summary>Registration (v1 shape; the private key is never part of it).</summary>
    [MapperIgnoreSource(nameof(RegisteredIdentity.PrivateKeyPem))]
    public static partial RegisteredUserResponse ToResponse(this RegisteredIdentity source);

    /// <summary>Address verified.</summary>
    public static partial EmailVerificationResponse ToResponse(this EmailVerification source);

    /// <summary>A new code mailed.</summary>
    public static partial VerificationPendingResponse ToResponse(this VerificationPending source);

    /// <summary>A new API key.</summary>
    public static partial ApiKeyResponse ToResponse(this ReplacedApiKey source);

    /// <summary>Key ring.</summary>
    public static partial KeyRingResponse ToResponse(this KeyRingView source);

    /// <summary>Exported key.</summary>
    public static partial PrivateKeyResponse ToResponse(this ExportedPrivateKey source);

    /// <summary>Audit page.</summary>
    public static partial AuditTrailResponse ToResponse(this AuditTrailPage source);

    /// <summary>JWK Set.</summary>
    public static partial JsonWebKeySetResponse ToResponse(this JsonWebKeySetView source);

    /// <summary>Verification answer.</summary>
    public static partial VerificationResponse ToResponse(this VerificationResult source);

    /// <summary>Signature, with its format and algorithm by their wire names.</summary>
    public static SignatureResponse ToResponse(this SignatureResult source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new SignatureResponse(source.Signature, source.Format.ToWireName(), source.Algorithm.ToString(), source.KeyVersion);
    }

    /// <summary>Ciphertext in the v1 encoding (JWE as is, raw RSA-OAEP as base64).</summary>
    public static CiphertextResponse ToResponse(this EncryptionResult source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new CiphertextResponse(source.Ciphertext.Encode(), source.Ciphertext.Format.ToWireName(), source.KeyVersion);
    }

    /// <summary>Plaintext as text (when UTF-8) and base64.</summary>
    public static DecryptResponse ToResponse(this DecryptionResult source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new DecryptResponse(PlaintextInput.TryDecodeUtf8(source.Plaintext), Convert.ToBase64String(source.Plaintext), source.KeyVersion);
    }

    /// <summary>Data key: the key base64 (when asked for) and its JWE.</summary>
    public static DataKeyResponse ToResponse(this DataKeyResult source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new DataKeyResponse(
            source.PlaintextKey is null ? null : Convert.ToBase64String(source.PlaintextKey),
            source.Ciphertext.Encode(),
            source.KeyVersion);
    }

    private static partial PublicKeyResponse ToResponse(PublicKeyView source);

    private static partial JsonWebKeyResponse ToResponse(PublicJsonWebKey source);

    [MapperIgnoreSource(nameof(AuditEvent.IdentityId))]
    private static partial AuditEventResponse ToResponse(AuditEvent source);
}
