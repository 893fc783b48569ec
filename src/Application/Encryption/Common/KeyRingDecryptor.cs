using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.Encryption.Common;

/// <summary>
/// Decrypts a ciphertext with the right version of an identity's key ring: the version a JWE's
/// "kid" names, or, for ciphertexts that name none (raw RSA-OAEP, JWEs made elsewhere), every
/// version still allowed, latest first.
/// </summary>
public sealed class KeyRingDecryptor(IKeyProtector protector, IPayloadCipher cipher)
{
    /// <summary>Reads a ciphertext as the client wrote it and decrypts it.</summary>
    /// <returns>The plaintext, the version that opened it and the ciphertext's format.</returns>
    /// <exception cref="DecryptionFailedException">Malformed, or no allowed version opens it.</exception>
    public (byte[] Plaintext, int KeyVersion, CiphertextFormat Format) Open(Identity identity, string? text)
    {
        if (!Ciphertext.TryParse(text, out var ciphertext))
        {
            throw new DecryptionFailedException(DecryptionFailure.Malformed);
        }

        var (plaintext, version) = Decrypt(identity, ciphertext!);
        return (plaintext, version, ciphertext!.Format);
    }

    /// <summary>The plaintext and the version that opened it.</summary>
    /// <exception cref="DecryptionFailedException">No allowed version opens it.</exception>
    public (byte[] Plaintext, int KeyVersion) Decrypt(Identity identity, Ciphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(ciphertext);
        var failure = DecryptionFailure.VersionNotAllowed;
        foreach (var version in Candidates(identity, ciphertext))
        {
            using var privateKey = protector.Unseal(version.SealedPrivateKey, KeyBinding.For(identity, version.Version));
            if (cipher.TryDecrypt(ciphertext, privateKey.Pkcs8, out var plaintext, out failure))
            {
                return (plaintext, version.Version);
            }
        }

        throw new DecryptionFailedException(failure);
    }

    private IEnumerable<KeyVersion> Candidates(Identity identity, Ciphertext ciphertext)
    {
        var ring = identity.Keys;
        switch (ciphertext)
        {
            case JweCiphertext jwe when KeyId.TryParse(cipher.ReadKeyId(jwe), out var identityId, out var named) && identityId == identity.Id:
                return ring.IsDecryptionAllowed(named) ? [ring.Find(named)!] : [];
            case RsaOaepCiphertext raw:
                // Length is public: a ciphertext one modulus long can only be for keys of that size.
                var length = raw.Bytes.Length;
                var sized = ring.DecryptionCandidatesLatestFirst().Where(v => v.Size.ModulusBytes == length).ToArray();
                if (sized.Length == 0)
                {
                    throw new DecryptionFailedException(DecryptionFailure.WrongLength);
                }

                return sized;
            default:
                return ring.DecryptionCandidatesLatestFirst();
        }
    }
}
