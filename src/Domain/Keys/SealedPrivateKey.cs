namespace CryptoSecure.Domain.Keys;

/// <summary>
/// A PKCS#8 private key sealed under the master key. Opaque to everything but the key protector;
/// never printed. It names the master key that sealed it (<see cref="SealedBy"/>, a key id, never
/// the key), so a store can hold keys sealed under several master keys while one replaces another.
/// </summary>
[Secret]
public sealed class SealedPrivateKey
{
    private readonly byte[] _bytes;

    /// <summary>Wraps sealed bytes as produced by the key protector or read from the store.</summary>
    /// <param name="bytes">The sealed bytes.</param>
    /// <param name="sealedBy">
    /// The id of the master key that sealed them; null only for a record of the first release read
    /// before the store adopted it (see ADR-021): "the master key of the store's check value".
    /// </param>
    public SealedPrivateKey(byte[] bytes, string? sealedBy = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        _bytes = bytes;
        SealedBy = sealedBy;
    }

    /// <summary>The sealed bytes (format owned by the key protector).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The id of the master key that sealed this key (not a secret: a one-way tag of the key).</summary>
    public string? SealedBy { get; }

    /// <summary>A copy of the sealed bytes, for stores that need an array.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <inheritdoc />
    public override string ToString() => $"SealedPrivateKey({_bytes.Length} bytes)";
}
