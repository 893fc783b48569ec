using System.Security.Cryptography;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// AES-256-GCM with a 96-bit nonce and 128-bit tag (NIST SP 800-38D), the only AEAD parameters
/// this service uses (sealing private keys, JWE "A256GCM" per RFC 7518 §5.3). Other key, nonce or
/// tag sizes are refused up front rather than passed to the primitive.
/// </summary>
public static class Aes256Gcm
{
    /// <summary>Key length in bytes.</summary>
    public const int KeySize = 32;

    /// <summary>Nonce (IV) length in bytes.</summary>
    public const int NonceSize = 12;

    /// <summary>Tag length in bytes.</summary>
    public const int TagSize = 16;

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (same length) and <paramref name="tag"/>.</summary>
    public static void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        if (key.Length != KeySize || nonce.Length != NonceSize || tag.Length != TagSize || ciphertext.Length != plaintext.Length)
        {
            throw new ArgumentException("AES-256-GCM takes a 32-byte key, a 12-byte nonce and a 16-byte tag.");
        }

        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
    }

    /// <summary>
    /// Opens <paramref name="ciphertext"/> into <paramref name="plaintext"/> (same length). False, with
    /// <paramref name="plaintext"/> cleared, for wrong sizes or a tag that does not verify.
    /// </summary>
    public static bool TryDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        if (key.Length != KeySize || nonce.Length != NonceSize || tag.Length != TagSize || plaintext.Length != ciphertext.Length)
        {
            return false;
        }

        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (CryptographicException)
        {
            // AesGcm clears the output on tag mismatch; clear again for any other failure.
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
    }
}
