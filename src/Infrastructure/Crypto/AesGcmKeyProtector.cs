using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// Seals PKCS#8 private keys with AES-256-GCM under the current master key's sealing subkey, and
/// opens them under whichever configured master key sealed them (the key id the sealed key names).
/// Layout: <c>0x01 ‖ nonce (12) ‖ ciphertext ‖ tag (16)</c>. The associated data names the
/// key's purpose, the registration, the address and the version, so a sealed key copied into another record or
/// another version's slot does not open (OWASP ASVS 5.0 V11).
/// </summary>
/// <remarks>
/// Random 96-bit nonces keep the collision risk under 2^-32 for up to 2^32 seals per master key
/// (NIST SP 800-38D §8.3); one seal per key version is far below that.
/// </remarks>
public sealed class AesGcmKeyProtector : IKeyProtector
{
    private readonly MasterKeyRing _keys;

    /// <summary>Seals under <paramref name="keys"/>' current key, opens under any of them.</summary>
    public AesGcmKeyProtector(MasterKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
    }

    /// <summary>One master key only (no previous keys).</summary>
    public AesGcmKeyProtector(MasterKey masterKey)
        : this(new MasterKeyRing(masterKey, []))
    {
    }

    private const byte FormatV1 = 0x01;
    private const int Overhead = 1 + Aes256Gcm.NonceSize + Aes256Gcm.TagSize;

    /// <inheritdoc />
    public SealedPrivateKey Seal(ReadOnlySpan<byte> privateKeyPkcs8, KeyBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var masterKey = _keys.Current;
        var sealedBytes = new byte[Overhead + privateKeyPkcs8.Length];
        sealedBytes[0] = FormatV1;
        var nonce = sealedBytes.AsSpan(1, Aes256Gcm.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        Aes256Gcm.Encrypt(
            masterKey.SealingKey,
            nonce,
            privateKeyPkcs8,
            sealedBytes.AsSpan(1 + Aes256Gcm.NonceSize, privateKeyPkcs8.Length),
            sealedBytes.AsSpan(sealedBytes.Length - Aes256Gcm.TagSize),
            AssociatedData(binding));
        return new SealedPrivateKey(sealedBytes, masterKey.Id);
    }

    /// <inheritdoc />
    public PrivateKeyMaterial Unseal(SealedPrivateKey sealedKey, KeyBinding binding)
    {
        ArgumentNullException.ThrowIfNull(sealedKey);
        ArgumentNullException.ThrowIfNull(binding);
        // No id: a first-release record the store has not adopted yet, sealed under the key of the
        // store's check value, which start-up has proved is the current one or adopted (ADR-021).
        var masterKey = sealedKey.SealedBy is { } id ? _keys.Find(id) : _keys.Current;
        var bytes = sealedKey.Bytes;
        if (masterKey is null || bytes.Length <= Overhead || bytes[0] != FormatV1)
        {
            throw new KeyIntegrityException();
        }

        var plaintext = new byte[bytes.Length - Overhead];
        var opened = Aes256Gcm.TryDecrypt(
            masterKey.SealingKey,
            bytes.Slice(1, Aes256Gcm.NonceSize),
            bytes.Slice(1 + Aes256Gcm.NonceSize, plaintext.Length),
            bytes[^Aes256Gcm.TagSize..],
            plaintext,
            AssociatedData(binding));
        return opened ? new PrivateKeyMaterial(plaintext) : throw new KeyIntegrityException();
    }

    /// <summary>Whether <paramref name="sealedKey"/> is sealed under the current master key.</summary>
    public bool IsCurrent(SealedPrivateKey sealedKey)
    {
        ArgumentNullException.ThrowIfNull(sealedKey);
        return sealedKey.SealedBy == _keys.Current.Id;
    }

    /// <summary>
    /// <paramref name="sealedKey"/> sealed anew under the current master key, for the same binding;
    /// the plaintext key exists only in a buffer wiped before this returns.
    /// </summary>
    /// <exception cref="KeyIntegrityException">It does not open under the key it names.</exception>
    public SealedPrivateKey Reseal(SealedPrivateKey sealedKey, KeyBinding binding)
    {
        using var opened = Unseal(sealedKey, binding);
        return Seal(opened.Pkcs8, binding);
    }

    /// <remarks>
    /// The encryption key's associated data is exactly the first release's, so every key sealed
    /// since then still opens; the signing key's has its own label, so neither key opens in the
    /// other's place (a signing key moved into an encryption slot would otherwise decrypt).
    /// </remarks>
    private static byte[] AssociatedData(KeyBinding binding) => binding.Purpose switch
    {
        KeyPurpose.Encryption => Encoding.UTF8.GetBytes($"cryptosecure/private-key/v1\n{binding.IdentityId:N}\n{binding.NormalizedEmail}\n{binding.Version}"),
        KeyPurpose.Signing => Encoding.UTF8.GetBytes($"cryptosecure/signing-key/v1\n{binding.IdentityId:N}\n{binding.NormalizedEmail}\n{binding.Version}"),
        _ => throw new ArgumentOutOfRangeException(nameof(binding), binding.Purpose, "A key purpose without associated data."),
    };
}
