using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Encryption;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>The service's two ciphertext formats over <see cref="JweCompact"/> and <see cref="RsaOaepSha256"/>.</summary>
/// <param name="keys">Imported keys kept between requests; <see cref="RsaKeyCache.None"/> imports per use.</param>
public sealed class PayloadCipher(RsaKeyCache keys) : IPayloadCipher
{
    /// <summary>A cipher that imports keys for every use (tests, tools).</summary>
    public PayloadCipher()
        : this(RsaKeyCache.None)
    {
    }

    /// <inheritdoc />
    public Ciphertext Encrypt(ReadOnlySpan<byte> plaintext, CiphertextFormat format, ReadOnlySpan<byte> publicKey, string keyId)
    {
        using var lease = keys.Rent(publicKey, RsaKeyCache.KeyKind.Public);
        return format switch
        {
            CiphertextFormat.Jwe => new JweCiphertext(JweCompact.Encrypt(plaintext, lease.Key, keyId)),
            CiphertextFormat.RsaOaep => new RsaOaepCiphertext(RsaOaepSha256.Encrypt(lease.Key, plaintext)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    /// <inheritdoc />
    public string? ReadKeyId(JweCiphertext jwe)
    {
        ArgumentNullException.ThrowIfNull(jwe);
        return JweCompact.ReadKeyId(jwe.Compact);
    }

    /// <inheritdoc />
    public bool TryDecrypt(Ciphertext ciphertext, ReadOnlySpan<byte> privateKeyPkcs8, out byte[] plaintext, out DecryptionFailure failure)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
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
        var rsa = lease.Key;
        byte[]? result;
        try
        {
            switch (ciphertext)
            {
                case JweCiphertext jwe:
                    result = JweCompact.TryDecrypt(jwe.Compact, rsa, out failure);
                    break;
                case RsaOaepCiphertext raw:
                    result = RsaOaepSha256.TryDecrypt(rsa, raw.Bytes);
                    failure = result is null ? DecryptionFailure.RsaDecryptionFailed : default;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(ciphertext));
            }
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            // Defence in depth: whatever slipped past the parsers is still just a bad ciphertext.
            result = null;
            failure = DecryptionFailure.Malformed;
        }

        plaintext = result ?? [];
        return result is not null;
    }
}

/// <summary>Renders keys as PEM (RFC 7468) and JWK (RFC 7517, RFC 7518 §6.3.1).</summary>
/// <param name="keys">Imported keys kept between requests: a key ring's JWKs are rendered on every public read.</param>
public sealed class KeyFormatter(RsaKeyCache keys) : IKeyFormatter
{
    /// <summary>A formatter that imports keys for every use (tests, tools).</summary>
    public KeyFormatter()
        : this(RsaKeyCache.None)
    {
    }

    /// <inheritdoc />
    public string PublicKeyPem(ReadOnlySpan<byte> publicKey) => PemEncoding.WriteString("PUBLIC KEY", publicKey);

    /// <inheritdoc />
    public string PrivateKeyPem(ReadOnlySpan<byte> privateKeyPkcs8) => PemEncoding.WriteString("PRIVATE KEY", privateKeyPkcs8);

    /// <inheritdoc />
    public PublicJsonWebKey PublicJwk(ReadOnlySpan<byte> publicKey, string keyId)
    {
        using var lease = keys.Rent(publicKey, RsaKeyCache.KeyKind.Public);
        var parameters = lease.Key.ExportParameters(includePrivateParameters: false);
        return new PublicJsonWebKey(
            "RSA",
            "enc",
            JweCompact.Algorithm,
            keyId,
            System.Buffers.Text.Base64Url.EncodeToString(parameters.Modulus),
            System.Buffers.Text.Base64Url.EncodeToString(parameters.Exponent));
    }
}
