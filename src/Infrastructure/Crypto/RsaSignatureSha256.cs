using System.Security.Cryptography;
using CryptoSecure.Application.Common.Ports;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// RSASSA-PSS (RFC 8017 §8.1; SHA-256, MGF1-SHA-256, salt length 32) and RSASSA-PKCS1-v1_5
/// (RFC 8017 §8.2; SHA-256) over a message or its SHA-256 digest: the primitives under both the
/// raw and the JWS formats.
/// </summary>
/// <remarks>
/// .NET's <see cref="RSASignaturePadding.Pss"/> signs with a salt as long as the hash (32 bytes,
/// what RFC 7518 §3.5 requires for PS256) and verifies only that salt length; the Wycheproof
/// sLen-32 vectors hold it to that.
/// </remarks>
public static class RsaSignatureSha256
{
    /// <summary>Signs; <paramref name="content"/> is the message or its 32-byte digest.</summary>
    /// <exception cref="CryptographicException">The key is smaller than the minimum.</exception>
    public static byte[] Sign(RSA privateKey, SignedContent content, SignatureAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.KeySize < IPayloadSigner.MinimumKeySizeBits)
        {
            throw new CryptographicException($"Signing keys must have at least {IPayloadSigner.MinimumKeySizeBits} bits.");
        }

        var padding = PaddingOf(algorithm);
        if (!content.IsSha256Digest)
        {
            return privateKey.SignData(content.Bytes, HashAlgorithmName.SHA256, padding);
        }

        if (content.Bytes.Length != SignedContent.Sha256DigestLength)
        {
            throw new ArgumentException($"A SHA-256 digest is {SignedContent.Sha256DigestLength} bytes.", nameof(content));
        }

        return privateKey.SignHash(content.Bytes, HashAlgorithmName.SHA256, padding);
    }

    /// <summary>
    /// True only when <paramref name="signature"/> verifies. Wrong length (RFC 8017 §8.1.2 and
    /// §8.2.2 step 1), a key below the minimum, a digest of the wrong size and any error of the
    /// primitive are all false.
    /// </summary>
    public static bool Verify(RSA publicKey, SignedContent content, ReadOnlySpan<byte> signature, SignatureAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var modulusBytes = (publicKey.KeySize + 7) / 8;
        if (publicKey.KeySize < IPayloadSigner.MinimumKeySizeBits || signature.Length != modulusBytes)
        {
            return false;
        }

        var padding = PaddingOf(algorithm);
        try
        {
            if (!content.IsSha256Digest)
            {
                return publicKey.VerifyData(content.Bytes, signature, HashAlgorithmName.SHA256, padding);
            }

            return content.Bytes.Length == SignedContent.Sha256DigestLength
                && publicKey.VerifyHash(content.Bytes, signature, HashAlgorithmName.SHA256, padding);
        }
        catch (CryptographicException)
        {
            // A signature value not below the modulus (RFC 8017 §5.2.2) can surface as an error
            // rather than false; either way it does not verify.
            return false;
        }
    }

    private static RSASignaturePadding PaddingOf(SignatureAlgorithm algorithm) => algorithm switch
    {
        SignatureAlgorithm.PS256 => RSASignaturePadding.Pss,
        SignatureAlgorithm.RS256 => RSASignaturePadding.Pkcs1,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };
}
