namespace CryptoSecure.Domain.Keys;

/// <summary>A minimum decryption version outside 1..latest was asked for.</summary>
/// <param name="requested">The minimum asked for.</param>
/// <param name="latestVersion">The ring's latest version, the highest minimum allowed.</param>
public sealed class MinDecryptionVersionOutOfRangeException(int requested, int latestVersion)
    : DomainRuleException($"The minimum decryption version must lie between 1 and the latest version ({latestVersion}); {requested} was asked for.")
{
    /// <summary>The minimum asked for.</summary>
    public int Requested { get; } = requested;

    /// <summary>The highest minimum the ring allows.</summary>
    public int LatestVersion { get; } = latestVersion;
}
