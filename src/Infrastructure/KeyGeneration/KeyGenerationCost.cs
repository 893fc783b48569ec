using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Infrastructure.KeyGeneration;

/// <summary>
/// What one key generation costs the CPU, in RSA-2048 generations: 1, 3 and 8 for 2048, 3072 and
/// 4096 bits. Generation is a search for two random primes of half the modulus size; each candidate
/// is tested with modular exponentiations whose cost grows about with the cube of the size, so twice
/// the bits cost about (2)³ = 8 times as much, and 1.5 times the bits about (1.5)³ ≈ 3.4. The
/// measured means agree within the large spread from key to key: 0.20 s for RSA-2048 and 0.56 s
/// for RSA-3072 (×2.8) in bench/README.md; 40 RSA-4096 generations in 48 s on one slot (≈ 1.2 s
/// each, ×6) in the load test of issue 9. Registrations counted one each let a few
/// clients queue 48 s of RSA-4096 work within their rate limits; counted by cost they cannot.
/// </summary>
public static class KeyGenerationCost
{
    /// <summary>What the scheduler's metrics and busy answers call this work.</summary>
    public const string WorkKind = "key generation";

    /// <summary>The cost of the largest size: what one generation may cost at most.</summary>
    public const double Largest = 8;

    /// <summary>The cost of generating one key of <paramref name="size"/>.</summary>
    public static double Of(KeySize size) => size.Bits switch
    {
        2048 => 1,
        3072 => 3,
        4096 => Largest,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "No cost is known for this key size."),
    };
}
