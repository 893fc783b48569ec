using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Encryption;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>Encrypts to a public key and decrypts with a private one, in the service's formats.</summary>
public interface IPayloadCipher
{
    /// <summary>Encrypts <paramref name="plaintext"/> to the public key (SPKI DER).</summary>
    /// <param name="plaintext">At most the format's limit (checked by the caller).</param>
    /// <param name="format">JWE or raw RSA-OAEP.</param>
    /// <param name="publicKey">SubjectPublicKeyInfo DER.</param>
    /// <param name="keyId">The JWE "kid".</param>
    Ciphertext Encrypt(ReadOnlySpan<byte> plaintext, CiphertextFormat format, ReadOnlySpan<byte> publicKey, string keyId);

    /// <summary>The "kid" of a JWE's protected header, or null when absent or unreadable.</summary>
    string? ReadKeyId(JweCiphertext jwe);

    /// <summary>Decrypts; on failure returns false and the cause (for logs only).</summary>
    bool TryDecrypt(Ciphertext ciphertext, ReadOnlySpan<byte> privateKeyPkcs8, out byte[] plaintext, out DecryptionFailure failure);
}
