using System.ComponentModel.DataAnnotations;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.KeyGeneration;
using CryptoSecure.Infrastructure.Scheduling;

namespace CryptoSecure.Infrastructure.Options;

/// <summary>Key generation and the pool of pre-generated keys (section "Keys"); checked at start.</summary>
public sealed class KeyGenerationOptions : IValidatableObject
{
    /// <summary>Longest wait bound accepted: past it a client has long given up.</summary>
    public const int MaxWaitSecondsLimit = 300;

    /// <summary>
    /// At most this many key generations run at once (requests and pool together); default half the
    /// CPUs, so a burst of registrations cannot starve encryption and decryption.
    /// </summary>
    public int MaxConcurrentGenerations { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How many pre-generated key pairs to keep per size (<c>Keys:Pool:2048</c>, …).</summary>
    public Dictionary<KeySize, int> PoolTargets { get; } = new()
    {
        [KeySize.Rsa2048] = 2,
        [KeySize.Rsa3072] = 4,
        [KeySize.Rsa4096] = 1,
    };

    /// <summary>How many pool refills run at once (<c>Keys:Pool:Parallelism</c>), 1 to <see cref="MaxConcurrentGenerations"/>.</summary>
    public int PoolParallelism { get; set; } = 1;

    /// <summary>How requests queue for a generation (section "Keys:Generation").</summary>
    public KeyGenerationQueueOptions Generation { get; } = new();

    /// <summary>
    /// Whether the first release's <c>Keys:MaxQueuedGenerations</c> is still configured. It counted
    /// requests, not cost, so it is refused rather than ignored or silently reinterpreted.
    /// </summary>
    public bool RetiredMaxQueuedGenerationsIsSet { get; set; }

    /// <summary>The scheduler's bounds these settings make.</summary>
    public CpuWorkLimits SchedulerLimits() => new(
        MaxConcurrentGenerations, Generation.MaxQueuedCost, TimeSpan.FromSeconds(Generation.MaxWaitSeconds), Generation.PoolShare);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetiredMaxQueuedGenerationsIsSet)
        {
            yield return new ValidationResult(
                "Keys:MaxQueuedGenerations is no longer read: the queue is bounded by cost now. Remove it and set Keys:Generation:MaxQueuedCost "
                + "(RSA-2048 = 1, RSA-3072 = 3, RSA-4096 = 8; default 32).");
        }

        if (MaxConcurrentGenerations < 1)
        {
            yield return new ValidationResult($"Keys:MaxConcurrentGenerations must be at least 1 (it is {MaxConcurrentGenerations}).");
        }

        if (PoolParallelism < 1 || PoolParallelism > Math.Max(1, MaxConcurrentGenerations))
        {
            yield return new ValidationResult(
                $"Keys:Pool:Parallelism must be from 1 to Keys:MaxConcurrentGenerations ({MaxConcurrentGenerations}); it is {PoolParallelism}.");
        }

        foreach (var (size, target) in PoolTargets.Where(t => t.Value < 0))
        {
            yield return new ValidationResult($"Keys:Pool:{size.Bits} must be 0 or more (it is {target}).");
        }

        foreach (var problem in Generation.Problems())
        {
            yield return new ValidationResult(problem);
        }
    }
}

/// <summary>How requests queue for a key generation (section "Keys:Generation").</summary>
public sealed class KeyGenerationQueueOptions
{
    /// <summary>
    /// Most generation cost that waiting requests may add up to, in RSA-2048 generations (RSA-3072
    /// counts 3, RSA-4096 counts 8): default 32, e.g. four RSA-4096 registrations. Past it a request
    /// gets 503 with Retry-After at once, unless another client holds more of the queue, whose newest
    /// waiter then gets the 503 instead. 0 or at least 8 (one RSA-4096).
    /// </summary>
    public int MaxQueuedCost { get; set; } = 32;

    /// <summary>
    /// A request whose generation has not started within this many seconds gets 503 with Retry-After
    /// rather than hanging; default 5, at most 300.
    /// </summary>
    public int MaxWaitSeconds { get; set; } = 5;

    /// <summary>
    /// Share of generation time the pool's refill gets while requests also wait, strictly between 0
    /// and 1; default 0.25. Neither starves: the pool keeps serving registrations without a wait
    /// during a flood, and requests keep most of the CPU.
    /// </summary>
    public double PoolShare { get; set; } = 0.25;

    internal IEnumerable<string> Problems()
    {
        if (MaxQueuedCost != 0 && MaxQueuedCost < KeyGenerationCost.Largest)
        {
            yield return $"Keys:Generation:MaxQueuedCost must be 0 (requests never queue) or at least {KeyGenerationCost.Largest} (one RSA-4096 generation); it is {MaxQueuedCost}.";
        }

        if (MaxWaitSeconds < 1 || MaxWaitSeconds > KeyGenerationOptions.MaxWaitSecondsLimit)
        {
            yield return $"Keys:Generation:MaxWaitSeconds must be from 1 to {KeyGenerationOptions.MaxWaitSecondsLimit}; it is {MaxWaitSeconds}.";
        }

        if (!(PoolShare is > 0 and < 1))
        {
            yield return $"Keys:Generation:PoolShare must be strictly between 0 and 1 (a fraction such as 0.25); it is {PoolShare.ToString(System.Globalization.CultureInfo.InvariantCulture)}.";
        }
    }
}
