namespace CryptoSecure.Domain.Keys;

/// <summary>
/// A PKCS#8 private key sealed under the master key. Opaque to everything but the key protector;
/// never printed.
/// </summary>
[Secret]
public sealed class SealedPrivateKey
{
    private readonly byte[] _bytes;

    /// <summary>Wraps sealed bytes as produced by the key protector or read from the store.</summary>
    public SealedPrivateKey(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        _bytes = bytes;
    }

    /// <summary>The sealed bytes (format owned by the key protector).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>A copy of the sealed bytes, for stores that need an array.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <inheritdoc />
    public override string ToString() => $"SealedPrivateKey({_bytes.Length} bytes)";
}
