using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Domain.UnitTests.Keys;

/// <summary>Key versions with recognisable (fake) key bytes, for building rings.</summary>
internal static class TestKeyVersions
{
    public static readonly DateTimeOffset CreatedAt = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static KeyVersion Numbered(int version, KeySize? size = null) =>
        new(version, size ?? KeySize.Rsa2048, [0x30, 0x82, (byte)version], new SealedPrivateKey([0xA5, (byte)version]), CreatedAt);

    public static KeyVersion[] Numbered(params int[] versions) => [.. versions.Select(v => Numbered(v))];

    public static KeyRing Ring(int count, int minDecryptionVersion = 1) =>
        new(Numbered([.. Enumerable.Range(1, count)]), minDecryptionVersion);
}
