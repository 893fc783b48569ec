namespace CryptoSecure.Domain.Keys;

/// <summary>An RSA modulus size this service issues keys of (public exponent 65537).</summary>
public readonly record struct KeySize
{
    /// <summary>RSA-2048: 112-bit security; kept for the prototype's clients.</summary>
    public static readonly KeySize Rsa2048 = new(2048);

    /// <summary>RSA-3072: 128-bit security (OWASP ASVS 5.0 11.2.3); the default.</summary>
    public static readonly KeySize Rsa3072 = new(3072);

    /// <summary>RSA-4096.</summary>
    public static readonly KeySize Rsa4096 = new(4096);

    /// <summary>Every size the service issues, smallest first.</summary>
    public static IReadOnlyList<KeySize> All { get; } = [Rsa2048, Rsa3072, Rsa4096];

    private KeySize(int bits) => Bits = bits;

    /// <summary>Modulus length in bits.</summary>
    public int Bits { get; }

    /// <summary>Modulus length in bytes (k in RFC 8017).</summary>
    public int ModulusBytes => Bits / 8;

    /// <summary>
    /// Longest plaintext RSA-OAEP with SHA-256 takes: k − 2·hLen − 2 (RFC 8017 §7.1.1),
    /// 190 / 318 / 446 bytes for 2048 / 3072 / 4096.
    /// </summary>
    public int MaxRsaOaepSha256PlaintextBytes => ModulusBytes - (2 * 32) - 2;

    /// <summary>Whether <paramref name="bits"/> names a supported size.</summary>
    public static bool IsSupported(int bits) => bits is 2048 or 3072 or 4096;

    /// <summary>The size of <paramref name="bits"/>; throws for an unsupported size.</summary>
    public static KeySize FromBits(int bits) => IsSupported(bits)
        ? new KeySize(bits)
        : throw new ArgumentOutOfRangeException(nameof(bits), bits, "RSA key sizes are 2048, 3072 or 4096 bits.");

    /// <inheritdoc />
    public override string ToString() => $"RSA-{Bits}";
}
