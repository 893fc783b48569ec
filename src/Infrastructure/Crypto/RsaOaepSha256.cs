using System.Security.Cryptography;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// RSAES-OAEP (RFC 8017 §7.1) with SHA-256, MGF1-SHA-256 and the empty label: the prototype's
/// scheme and JWE's "RSA-OAEP-256" (RFC 7518 §4.3). Never PKCS#1 v1.5.
/// </summary>
public static class RsaOaepSha256
{
    /// <summary>Encrypts with a public key given as SubjectPublicKeyInfo DER.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> publicKeySpki, ReadOnlySpan<byte> plaintext)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKeySpki, out _);
        return Encrypt(rsa, plaintext);
    }

    /// <summary>Encrypts with an imported public (or private) key.</summary>
    public static byte[] Encrypt(RSA publicKey, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return publicKey.Encrypt(plaintext, RSAEncryptionPadding.OaepSHA256);
    }

    /// <summary>Imports a PKCS#8 private key; null when the bytes are not an RSA private key.</summary>
    public static RSA? ImportPrivateKey(ReadOnlySpan<byte> privateKeyPkcs8)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(privateKeyPkcs8, out _);
            return rsa;
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Decrypts; null for any failure (wrong length, padding, key). The caller must not tell the
    /// causes apart (Manger, CRYPTO 2001).
    /// </summary>
    public static byte[]? TryDecrypt(RSA privateKey, ReadOnlySpan<byte> ciphertext)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (ciphertext.Length != privateKey.KeySize / 8)
        {
            return null;
        }

        try
        {
            return privateKey.Decrypt(ciphertext, RSAEncryptionPadding.OaepSHA256);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
