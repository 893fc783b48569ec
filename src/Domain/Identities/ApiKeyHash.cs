namespace CryptoSecure.Domain.Identities;

/// <summary>The SHA-256 of an identity's API key: the only form of the key the service keeps.</summary>
[Secret]
public sealed class ApiKeyHash : IEquatable<ApiKeyHash>
{
    /// <summary>SHA-256 output length.</summary>
    public const int Length = 32;

    private readonly byte[] _bytes;

    /// <summary>Wraps a 32-byte hash.</summary>
    public ApiKeyHash(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"An API key hash is {Length} bytes.", nameof(bytes));
        }

        _bytes = bytes;
    }

    /// <summary>The hash bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>A copy of the hash bytes, for stores that need an array.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <inheritdoc />
    public bool Equals(ApiKeyHash? other) =>
        other is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ApiKeyHash);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    /// <inheritdoc />
    public override string ToString() => "ApiKeyHash(redacted)";
}
