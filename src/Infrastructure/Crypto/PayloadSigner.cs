using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>The service's two signature formats over <see cref="JwsCompact"/> and <see cref="RsaSignatureSha256"/>.</summary>
/// <param name="keys">Imported keys kept between requests, shared with the cipher; <see cref="RsaKeyCache.None"/> imports per use.</param>
public sealed class PayloadSigner(RsaKeyCache keys) : IPayloadSigner
{
    /// <inheritdoc />
    public string Sign(SignedContent content, SignatureFormat format, SignatureAlgorithm algorithm, ReadOnlySpan<byte> privateKeyPkcs8, string keyId)
    {
        if (content.IsSha256Digest && format == SignatureFormat.Jws)
        {
            throw new ArgumentException("A JWS carries its payload; a digest can only be signed in the raw format.", nameof(content));
        }

        if (content.IsSha256Digest && content.Bytes.Length != SignedContent.Sha256DigestLength)
        {
            throw new ArgumentException($"A SHA-256 digest is {SignedContent.Sha256DigestLength} bytes.", nameof(content));
        }

        RsaKeyCache.Lease lease;
        try
        {
            lease = keys.Rent(privateKeyPkcs8, RsaKeyCache.KeyKind.Private);
        }
        catch (CryptographicException)
        {
            throw new KeyIntegrityException();
        }

        using var _ = lease;
        return format switch
        {
            SignatureFormat.Jws => JwsCompact.Sign(content.Bytes, lease.Key, algorithm, keyId),
            SignatureFormat.Raw => Convert.ToBase64String(RsaSignatureSha256.Sign(lease.Key, content, algorithm)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    /// <inheritdoc />
    public SignatureVerification VerifyJws(string jws, SigningKeyLookup keys)
    {
        ArgumentNullException.ThrowIfNull(jws);
        ArgumentNullException.ThrowIfNull(keys);
        if (!JwsCompact.TryParse(jws, out var parsed, out var problem))
        {
            return SignatureVerification.Malformed(problem);
        }

        // The algorithm is the header's, already held to PS256/RS256; a key bound to the other one
        // (or none of ours) does not verify it (Wycheproof's "WrongPrimitive" JWS vectors).
        var key = keys(parsed.KeyId);
        if (key is null || (key.Algorithm is { } only && only != parsed.Algorithm))
        {
            return SignatureVerification.Invalid(parsed.Algorithm);
        }

        return WithPublicKey(key.PublicKeySpki.Span, rsa => JwsCompact.Verify(parsed, rsa))
            ? SignatureVerification.Valid(parsed.KeyId, parsed.Algorithm)
            : SignatureVerification.Invalid(parsed.Algorithm);
    }

    /// <inheritdoc />
    public SignatureVerification VerifyRaw(string signatureBase64, SignedContent content, SignatureAlgorithm algorithm, ReadOnlySpan<byte> publicKeySpki)
    {
        ArgumentNullException.ThrowIfNull(signatureBase64);
        if (!Enum.IsDefined(algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null);
        }

        if (content.IsSha256Digest && content.Bytes.Length != SignedContent.Sha256DigestLength)
        {
            return SignatureVerification.Malformed($"A SHA-256 digest is {SignedContent.Sha256DigestLength} bytes.", algorithm);
        }

        if (!StrictBase64.TryDecodeStandard(signatureBase64, out var signature))
        {
            return SignatureVerification.Malformed("A raw signature must be canonical standard base64 with padding and no whitespace (RFC 4648 §4).", algorithm);
        }

        var lease = TryRentPublic(publicKeySpki);
        if (lease is not { } held)
        {
            return SignatureVerification.Invalid(algorithm);
        }

        using (held)
        {
            return RsaSignatureSha256.Verify(held.Key, content, signature, algorithm)
                ? SignatureVerification.Valid(null, algorithm)
                : SignatureVerification.Invalid(algorithm);
        }
    }

    private bool WithPublicKey(ReadOnlySpan<byte> spki, Func<RSA, bool> verify)
    {
        var lease = TryRentPublic(spki);
        if (lease is not { } held)
        {
            return false;
        }

        using (held)
        {
            return verify(held.Key);
        }
    }

    /// <summary>The imported key, or null when the bytes are not an RSA public key: such a key verifies nothing.</summary>
    private RsaKeyCache.Lease? TryRentPublic(ReadOnlySpan<byte> spki)
    {
        try
        {
            return keys.Rent(spki, RsaKeyCache.KeyKind.Public);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
