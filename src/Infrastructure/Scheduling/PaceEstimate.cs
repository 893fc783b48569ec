namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>
/// How long one cost unit holds a slot, learnt from finished work (an exponential moving average,
/// so it follows the machine's load): the basis of the Retry-After a busy answer carries. Not
/// thread-safe: <see cref="CpuWorkScheduler"/> calls it under its lock.
/// </summary>
internal sealed class PaceEstimate
{
    // Weight of the newest sample: recent enough to follow load, steady enough to ignore one odd key.
    private const double Smoothing = 0.2;

    private double? _secondsPerCost;

    /// <summary>Learns from work of <paramref name="cost"/> that held its slot for <paramref name="held"/>.</summary>
    public void Learn(TimeSpan held, double cost)
    {
        var sample = held.TotalSeconds / cost;
        _secondsPerCost = _secondsPerCost is { } pace ? pace + (Smoothing * (sample - pace)) : sample;
    }

    /// <summary>
    /// Whole seconds until <paramref name="backlogCost"/> of work has drained through
    /// <paramref name="slots"/>, from 1 s to <paramref name="ceiling"/>; <paramref name="guess"/> until
    /// a first piece of work has finished.
    /// </summary>
    public TimeSpan TimeToDrain(double backlogCost, int slots, TimeSpan guess, TimeSpan ceiling)
    {
        var seconds = _secondsPerCost is { } pace ? backlogCost * pace / slots : guess.TotalSeconds;
        return TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(seconds), 1, ceiling.TotalSeconds));
    }
}
