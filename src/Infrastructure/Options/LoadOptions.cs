using System.ComponentModel.DataAnnotations;
using CryptoSecure.Infrastructure.Scheduling;

namespace CryptoSecure.Infrastructure.Options;

/// <summary>Bounds on RSA private-key work under load (section "Load"); checked at start.</summary>
public sealed class LoadOptions : IValidatableObject
{
    public const string SectionName = "Load";

    /// <summary>
    /// At most this many private-key operations (decryptions, rewraps) run at once; default the
    /// number of CPUs. More could not finish sooner, only take the threads that health checks,
    /// public-key reads and encryptions need.
    /// </summary>
    [Range(1, 1024)]
    public int PrivateKeyConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Most private-key work that may wait for a slot, in RSA-2048 operations (an RSA-3072 one counts
    /// 3, an RSA-4096 one 8, see <see cref="PrivateKeyCost"/>); default 512, e.g. 64 RSA-4096
    /// decryptions: well under a second of work on two cores. Past it a request gets 503 with
    /// Retry-After at once (or, if another client holds more of the queue, that client's newest
    /// waiter does). 0: private-key work never waits.
    /// </summary>
    [Range(0, 1_000_000)]
    public int PrivateKeyMaxQueuedCost { get; set; } = 512;

    /// <summary>
    /// A private-key operation not started within this many seconds gets 503 with Retry-After
    /// instead of waiting on; default 5. The queue bound normally answers long before: this catches
    /// a machine slowed by something else.
    /// </summary>
    [Range(1, KeyGenerationOptions.MaxWaitSecondsLimit)]
    public int PrivateKeyMaxWaitSeconds { get; set; } = 5;

    /// <summary>
    /// 0 (the default): a private-key operation runs on the thread that admitted it, with no hand-off.
    /// 1–19: operations run on threads of their own, one per slot, this much lower than the rest of
    /// the server on the Linux nice scale (elsewhere any value above 0 means "below normal"), so that
    /// when private-key work saturates the cores the operating system runs everything else first.
    /// The early 503 (before authentication) already keeps health checks and public-key reads fast
    /// under a flood at either setting (bench/README.md); the lowered threads cost two thread
    /// hand-offs per operation, which measured as a fifth to a third of decryption throughput.
    /// </summary>
    [Range(0, 19)]
    public int PrivateKeyNice { get; set; }

    /// <summary>The scheduler's bounds these settings make.</summary>
    // The background share is unused (private-key work is all requests) but must be a valid fraction.
    public CpuWorkLimits SchedulerLimits() => new(PrivateKeyConcurrency, PrivateKeyMaxQueuedCost, TimeSpan.FromSeconds(PrivateKeyMaxWaitSeconds), 0.5);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PrivateKeyMaxQueuedCost != 0 && PrivateKeyMaxQueuedCost < PrivateKeyCost.Largest)
        {
            yield return new ValidationResult(
                $"Load:PrivateKeyMaxQueuedCost must be 0 (private-key work never waits) or at least {PrivateKeyCost.Largest} (one RSA-4096 operation); it is {PrivateKeyMaxQueuedCost}.");
        }
    }
}
