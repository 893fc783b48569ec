namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>Which queue a piece of CPU-heavy work waits in.</summary>
public enum WorkLane
{
    /// <summary>A client is waiting for the result: bounded in queue and in wait.</summary>
    Request,

    /// <summary>
    /// Work the service does for itself (refilling the key pool). It is not bounded by the request
    /// queue (its few workers each wait for one piece at a time) and gets a share of the CPU of its own.
    /// </summary>
    Background,
}

/// <summary>One piece of CPU-heavy work asking to run.</summary>
/// <param name="Lane">Request or background.</param>
/// <param name="Requester">
/// Whose share it counts against: the client's address, IPv6 by its /64 (see
/// <c>IRequestContext.FairShareKey</c>). Queued requests are shared out fairly between requesters,
/// so one requester's backlog does not stand before another's single request.
/// </param>
/// <param name="Cost">
/// CPU time it takes, in cost units (one RSA-2048 key generation is 1, see
/// <c>KeyGenerationCost</c>): the queue bound, the fair shares and the Retry-After estimate count
/// cost, not pieces of work.
/// </param>
/// <param name="Kind">What the work is, in a few words ("key generation"): a metrics tag and part of the busy answer.</param>
public readonly record struct CpuWork(WorkLane Lane, string Requester, double Cost, string Kind);

/// <summary>The bounds a <see cref="CpuWorkScheduler"/> keeps.</summary>
/// <param name="Slots">How many pieces of work run at once (each occupies one thread of CPU however costly it is).</param>
/// <param name="MaxQueuedCost">
/// Most cost that waiting requests may add up to; past it a newcomer is answered busy at once, or,
/// if another requester holds more of the queue than the newcomer would, that requester's newest
/// waiter is answered busy in its place. 0: requests never queue.
/// </param>
/// <param name="MaxWait">A request not started within this is answered busy rather than kept waiting.</param>
/// <param name="BackgroundShare">
/// Share of started cost that background work gets while requests also wait, strictly between 0
/// and 1, so neither kind of work can starve the other.
/// </param>
public sealed record CpuWorkLimits(int Slots, double MaxQueuedCost, TimeSpan MaxWait, double BackgroundShare)
{
    /// <summary>Throws when a bound is out of range (options validation reports these first, by setting name).</summary>
    public void EnsureValid()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Slots, 1, nameof(Slots));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxQueuedCost, nameof(MaxQueuedCost));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxWait, TimeSpan.Zero, nameof(MaxWait));
        if (!(BackgroundShare is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(BackgroundShare), BackgroundShare, "The background share must be strictly between 0 and 1.");
        }
    }
}

/// <summary>What the scheduler holds right now (for gauges, health data and tests).</summary>
/// <param name="Running">Pieces of work running.</param>
/// <param name="RunningCost">Their cost.</param>
/// <param name="QueuedRequests">Requests waiting.</param>
/// <param name="QueuedRequestCost">Their cost.</param>
/// <param name="QueuedBackground">Background pieces waiting.</param>
/// <param name="QueuedBackgroundCost">Their cost.</param>
public sealed record CpuWorkSnapshot(int Running, double RunningCost, int QueuedRequests, double QueuedRequestCost, int QueuedBackground, double QueuedBackgroundCost);
