using System.ComponentModel.DataAnnotations;

namespace CryptoSecure.Infrastructure.Options;

/// <summary>
/// How the re-sealer moves sealed keys to the current master key (section "MasterKeyRotation"):
/// one identity per transaction, a batch of identities at a time, a pause between batches so it
/// never takes the store from the requests.
/// </summary>
public sealed class MasterKeyRotationOptions
{
    public const string SectionName = "MasterKeyRotation";

    /// <summary>How many identities one batch re-seals (each in its own transaction).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Pause between batches, in milliseconds.</summary>
    [Range(0, 600_000)]
    public int PauseMilliseconds { get; set; } = 100;

    /// <summary>The pause as a span.</summary>
    public TimeSpan Pause => TimeSpan.FromMilliseconds(PauseMilliseconds);
}
