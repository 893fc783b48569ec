using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>
/// What one RSA private-key operation costs the CPU, in RSA-2048 operations: 1, 3 and 8 for 2048,
/// 3072 and 4096 bits. It is one modular exponentiation (two half-size ones with the CRT), whose
/// cost grows about with the cube of the size, as key generation's does (<c>KeyGenerationCost</c>).
/// </summary>
public static class PrivateKeyCost
{
    /// <summary>What the scheduler's metrics and busy answers call this work.</summary>
    public const string WorkKind = "private-key operations";

    /// <summary>The cost of the largest size: what one operation may cost at most.</summary>
    public const double Largest = 8;

    /// <summary>The cost of one operation with a key of <paramref name="size"/>.</summary>
    public static double Of(KeySize size) => size.Bits switch
    {
        2048 => 1,
        3072 => 3,
        4096 => Largest,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "No cost is known for this key size."),
    };
}
