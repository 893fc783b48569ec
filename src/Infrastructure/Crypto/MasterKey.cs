using System.Security.Cryptography;
using System.Text;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// The key-encryption key. The 32 configured bytes are never used directly: HKDF-SHA256
/// (RFC 5869) derives one subkey for sealing private keys and one for the stored check value, and
/// the configured bytes are wiped.
/// </summary>
public sealed class MasterKey : IDisposable
{
    /// <summary>Length of a master key in bytes.</summary>
    public const int Length = 32;

    private static readonly byte[] SealingInfo = Encoding.ASCII.GetBytes("CryptoSecure v1 private-key sealing");
    private static readonly byte[] CheckInfo = Encoding.ASCII.GetBytes("CryptoSecure v1 master-key check value");

    private readonly byte[] _sealingKey;
    private bool _disposed;

    /// <summary>Derives the subkeys from <paramref name="keyMaterial"/> and wipes it.</summary>
    public MasterKey(byte[] keyMaterial)
    {
        ArgumentNullException.ThrowIfNull(keyMaterial);
        try
        {
            if (keyMaterial.Length != Length)
            {
                throw new ArgumentException($"A master key is {Length} bytes.", nameof(keyMaterial));
            }

            _sealingKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, keyMaterial, Aes256Gcm.KeySize, salt: [], info: SealingInfo);
            CheckValue = HKDF.DeriveKey(HashAlgorithmName.SHA256, keyMaterial, 32, salt: [], info: CheckInfo);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyMaterial);
        }
    }

    /// <summary>The AES-256 key that seals private keys.</summary>
    /// <exception cref="ObjectDisposedException">After disposal (the key bytes are zero then: never seal with them).</exception>
    internal ReadOnlySpan<byte> SealingKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _sealingKey;
        }
    }

    /// <summary>
    /// A value stored beside the keys at first start and compared at each start, so a wrong master
    /// key is caught before the first decrypt. One-way: it reveals nothing of the key.
    /// </summary>
    public byte[] CheckValue { get; }

    /// <summary>Whether <paramref name="stored"/> is this key's check value (constant time).</summary>
    public bool Matches(ReadOnlySpan<byte> stored) => CryptographicOperations.FixedTimeEquals(CheckValue, stored);

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_sealingKey);
    }

    /// <inheritdoc />
    public override string ToString() => "MasterKey(redacted)";
}
