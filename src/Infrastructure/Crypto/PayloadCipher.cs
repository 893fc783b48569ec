using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Encryption;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>The service's two ciphertext formats over <see cref="JweCompact"/> and <see cref="RsaOaepSha256"/>.</summary>
/// <param name="keys">Imported keys kept between requests; <see cref="RsaKeyCache.None"/> imports per use.</param>
public sealed class PayloadCipher(RsaKeyCache keys) : IPayloadCipher
{
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
