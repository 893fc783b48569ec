using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Encryption.Common;

/// <summary>
/// Encrypts to an identity's latest key version, the counterpart of <see cref="KeyRingDecryptor"/>:
/// encryption and rewrapping both go through here, so both name the key the same way and keep
/// raw RSA-OAEP within what the key can take.
/// </summary>
public sealed class KeyRingEncryptor(IPayloadCipher cipher)
{
    /// <summary>
    /// The longest plaintext <paramref name="format"/> takes under the latest key: raw RSA-OAEP's
    /// bound (RFC 8017 §7.1.1), or null for JWE, which has none of its own.
    /// </summary>
    public static int? MaxPlaintextBytes(Identity identity, CiphertextFormat format)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return format == CiphertextFormat.RsaOaep ? identity.Keys.Latest.Size.MaxRsaOaepSha256PlaintextBytes : null;
    }

    /// <summary>The ciphertext of <paramref name="plaintext"/> under the latest version, and that version.</summary>
    /// <exception cref="ArgumentException">
    /// Longer than <see cref="MaxPlaintextBytes"/>; callers check first and answer in their own terms.
    /// </exception>
    public (Ciphertext Ciphertext, int KeyVersion) Encrypt(Identity identity, ReadOnlySpan<byte> plaintext, CiphertextFormat format)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (plaintext.Length > MaxPlaintextBytes(identity, format))
        {
            throw new ArgumentException("The plaintext is longer than this format takes with the latest key.", nameof(plaintext));
        }

        var latest = identity.Keys.Latest;
        return (cipher.Encrypt(plaintext, format, latest.PublicKey, identity.KeyIdOf(latest.Version)), latest.Version);
    }
}
