using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.Encryption.Common;

/// <summary>
/// Decrypts a ciphertext with the right version of an identity's key ring: the version a JWE's
/// "kid" names, or, for ciphertexts that name none (raw RSA-OAEP, JWEs made elsewhere), every
/// version still allowed, latest first. Each version tried is one private-key operation admitted by
/// the <see cref="IPrivateKeyGate"/>, so a ciphertext that must try several versions pays for each.
/// </summary>
public sealed class KeyRingDecryptor(IKeyProtector protector, IPayloadCipher cipher, IPrivateKeyGate gate)
{
    /// <summary>Reads a ciphertext as the client wrote it and decrypts it.</summary>
    /// <param name="identity">Whose key ring.</param>
    /// <param name="text">The ciphertext as the client sent it.</param>
    /// <param name="requester">Whose share of private-key work this counts against (<see cref="IRequestContext.FairShareKey"/>).</param>
    /// <param name="cancellationToken">Aborts a wait for a slot.</param>
    /// <returns>The plaintext, the version that opened it and the ciphertext's format.</returns>
    /// <exception cref="DecryptionFailedException">Malformed, or no allowed version opens it.</exception>
    /// <exception cref="ServiceBusyException">The server is at capacity for private-key work.</exception>
    public async ValueTask<(byte[] Plaintext, int KeyVersion, CiphertextFormat Format)> OpenAsync(
        Identity identity, string? text, string requester, CancellationToken cancellationToken)
    {
        if (!Ciphertext.TryParse(text, out var ciphertext))
        {
            throw new DecryptionFailedException(DecryptionFailure.Malformed);
        }

        var (plaintext, version) = await DecryptAsync(identity, ciphertext!, requester, cancellationToken).ConfigureAwait(false);
        return (plaintext, version, ciphertext!.Format);
    }

    /// <summary>The plaintext and the version that opened it.</summary>
    /// <exception cref="DecryptionFailedException">No allowed version opens it.</exception>
    /// <exception cref="ServiceBusyException">The server is at capacity for private-key work.</exception>
    public async ValueTask<(byte[] Plaintext, int KeyVersion)> DecryptAsync(Identity identity, Ciphertext ciphertext, string requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(ciphertext);
        var failure = DecryptionFailure.VersionNotAllowed;
        foreach (var version in Candidates(identity, ciphertext))
        {
            // The slot covers the unsealing too: opening and importing the private key is part of its cost.
            var (opened, plaintext, why) = await gate.RunAsync(version.Size, requester, () => TryOpen(identity, version, ciphertext), cancellationToken).ConfigureAwait(false);
            if (opened)
            {
                return (plaintext!, version.Version);
            }

            failure = why;
        }

        throw new DecryptionFailedException(failure);
    }

    private (bool Opened, byte[]? Plaintext, DecryptionFailure Failure) TryOpen(Identity identity, KeyVersion version, Ciphertext ciphertext)
    {
        using var privateKey = protector.Unseal(version.SealedPrivateKey, KeyBinding.For(identity, version.Version));
        var opened = cipher.TryDecrypt(ciphertext, privateKey.Pkcs8, out var plaintext, out var failure);
        return (opened, plaintext, failure);
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
