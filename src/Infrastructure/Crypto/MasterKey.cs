using System.Security.Cryptography;
using System.Text;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// The key-encryption key. The 32 configured bytes are never used directly: HKDF-SHA256
/// (RFC 5869) derives one subkey for sealing private keys, one for the stored check value and one
/// for sealing audit cursors, and the configured bytes are wiped.
/// </summary>
public sealed class MasterKey : IDisposable
{
    /// <summary>Length of a master key in bytes.</summary>
    public const int Length = 32;

    private static readonly byte[] SealingInfo = Encoding.ASCII.GetBytes("CryptoSecure v1 private-key sealing");
    private static readonly byte[] CheckInfo = Encoding.ASCII.GetBytes("CryptoSecure v1 master-key check value");
    private static readonly byte[] CursorInfo = Encoding.ASCII.GetBytes("CryptoSecure v1 audit cursor sealing");
    private static readonly byte[] IdLabel = Encoding.ASCII.GetBytes("CryptoSecure master key id");

    /// <summary>Bytes of HMAC-SHA256 kept as the key id (hex): 64 bits, enough to tell a few keys apart, far too few to say anything of the key.</summary>
    public const int IdBytes = 8;

    private readonly byte[] _sealingKey;
    private readonly byte[] _cursorKey;
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
            _cursorKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, keyMaterial, AuditCursorKeySize, salt: [], info: CursorInfo);
            Id = Convert.ToHexStringLower(HMACSHA256.HashData(keyMaterial, IdLabel).AsSpan(0, IdBytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyMaterial);
        }
    }

    /// <summary>
    /// The key id: HMAC-SHA256 of a fixed label under the key, truncated to 8 bytes, in lower-case
    /// hex. Every sealed record names the key that sealed it by this id; it is one-way, so it may be
    /// logged and shown to an admin.
    /// </summary>
    public string Id { get; }

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

    /// <summary>Length of <see cref="AuditCursorKey"/>: an AES-256 key and an HMAC-SHA256 key for the synthetic nonce.</summary>
    internal const int AuditCursorKeySize = 64;

    /// <summary>The key that seals audit cursors (<see cref="AuditCursorSealer"/>); never the one that seals private keys.</summary>
    /// <exception cref="ObjectDisposedException">After disposal.</exception>
    internal ReadOnlySpan<byte> AuditCursorKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _cursorKey;
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
        CryptographicOperations.ZeroMemory(_cursorKey);
    }

    /// <inheritdoc />
    public override string ToString() => "MasterKey(redacted)";
}
