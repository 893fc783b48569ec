using System.Globalization;
using CryptoSecure.Application.Common.Exceptions;

namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>
/// Admits CPU-heavy work (key generation, and RSA private-key operations in a scheduler of their own) to a
/// fixed number of slots. Work that cannot start at once waits in one of two lanes:
/// <list type="bullet">
/// <item>requests, shared fairly between requesters by cost (<see cref="FairQueue"/>), bounded in
/// total queued cost and in how long each may wait; past either bound the caller gets
/// <see cref="ServiceBusyException"/> with a Retry-After estimate instead of a long hang;</item>
/// <item>background work (the key pool's refill), which gets <see cref="CpuWorkLimits.BackgroundShare"/>
/// of the started cost while requests also wait, so a flood of requests cannot starve the pool that
/// serves registrations without waiting, and the pool cannot starve requests either.</item>
/// </list>
/// A freed slot goes straight to the next waiter. Between the lanes, each start advances its lane's
/// pass by cost ÷ share and the lane with the lower pass goes next (stride scheduling); a lane that
/// had nothing waiting is brought up to the other's pass, so it cannot bank idle time.
/// </summary>
public sealed class CpuWorkScheduler
{
    /// <summary>Longest Retry-After the scheduler suggests: a client told to wait longer would rather look elsewhere.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    // Passes are sums of cost ÷ share: equal shares must compare equal despite rounding.
    private const double PassTolerance = 1e-9;

    private readonly Lock _lock = new();
    private readonly CpuWorkLimits _limits;
    private readonly TimeProvider _time;
    private readonly CpuWorkMetrics? _metrics;
    private readonly Lane _requests;
    private readonly Lane _background;
    private readonly PaceEstimate _pace = new();
    private int _free;
    private int _running;
    private double _runningCost;
    private long _arrivals;

    /// <summary>Creates a scheduler with every slot free.</summary>
    /// <param name="limits">The bounds.</param>
    /// <param name="time">Clock for the wait bound and the pace estimate.</param>
    /// <param name="metrics">Where to report queue lengths, waits and rejections; null for none.</param>
    /// <param name="work">What this scheduler admits, for its gauges' "work" tag.</param>
    public CpuWorkScheduler(CpuWorkLimits limits, TimeProvider time, CpuWorkMetrics? metrics = null, string work = "key generation")
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        limits.EnsureValid();
        _limits = limits;
        _time = time;
        _metrics = metrics;
        _free = limits.Slots;
        _requests = new Lane(1 - limits.BackgroundShare);
        _background = new Lane(limits.BackgroundShare);
        metrics?.Watch(this, work);
    }

    /// <summary>
    /// Waits for a slot for <paramref name="work"/>; dispose the lease when the work is done. A
    /// request cancelled while it waits leaves the queue at once and never runs. A release completes
    /// the next waiter's task before it returns (its continuations run asynchronously).
    /// </summary>
    /// <exception cref="ServiceBusyException">A request found the queue full, was displaced from it, or was not started within the wait bound.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the work started.</exception>
    public Task<CpuLease> AcquireAsync(CpuWork work, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(work.Requester, nameof(work));
        ArgumentException.ThrowIfNullOrEmpty(work.Kind, nameof(work));
        if (!double.IsFinite(work.Cost) || work.Cost <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(work), work.Cost, "Work must cost a positive, finite amount.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        Waiter? waiter = null;
        List<Waiter>? displaced = null;
        ServiceBusyException? refusal = null;
        lock (_lock)
        {
            var lane = LaneOf(work.Lane);
            if (_free > 0)
            {
                // A free slot means nothing waits: every release hands its slot to a waiter first.
                _free--;
                lane.Queue.StartedAtOnce(work);
                MarkStarted(lane, work.Cost);
            }
            else if (work.Lane == WorkLane.Request && !TryMakeRoom(work, out displaced))
            {
                refusal = Busy($"The server is at capacity for {work.Kind}");
            }
            else
            {
                waiter = new Waiter(work, _time.GetTimestamp(), _arrivals++);
                lane.Queue.Enqueue(waiter);
                if (work.Lane == WorkLane.Request)
                {
                    var queued = waiter;
                    waiter.Timer = _time.CreateTimer(_ => OnWaitExpired(queued), null, _limits.MaxWait, Timeout.InfiniteTimeSpan);
                }
            }
        }

        foreach (var victim in displaced ?? [])
        {
            Reject(victim, "displaced", $"The server is at capacity for {victim.Work.Kind}");
        }

        if (refusal is not null)
        {
            _metrics?.Rejected(work, "queue_full", TimeSpan.Zero);
            return Task.FromException<CpuLease>(refusal);
        }

        if (waiter is null)
        {
            _metrics?.Started(work, TimeSpan.Zero);
            return Task.FromResult(new CpuLease(this, work, _time.GetTimestamp()));
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => OnCancelled(waiter, cancellationToken));
            waiter.Completion.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return waiter.Completion.Task;
    }

    /// <summary>
    /// The refusal <paramref name="work"/> (request lane) would get if it asked now, or null when it
    /// would start or be queued. Changes nothing: a caller that gets null still asks with
    /// <see cref="AcquireAsync"/>, which decides again.
    /// </summary>
    public ServiceBusyException? RefusalFor(CpuWork work)
    {
        lock (_lock)
        {
            if (_free > 0)
            {
                return null;
            }

            var queue = _requests.Queue;
            var needed = queue.QueuedCost + work.Cost - _limits.MaxQueuedCost;
            if (needed <= 0 || queue.DisplaceableFor(work.Requester, queue.QueuedCostOf(work.Requester) + work.Cost, needed) is not null)
            {
                return null;
            }

            return Busy($"The server is at capacity for {work.Kind}");
        }
    }

    /// <summary>What the scheduler holds right now.</summary>
    public CpuWorkSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new CpuWorkSnapshot(_running, _runningCost, _requests.Queue.Count, _requests.Queue.QueuedCost, _background.Queue.Count, _background.Queue.QueuedCost);
        }
    }

    /// <summary>Requesters the fair queues remember: never more than those with work running or queued.</summary>
    internal int RememberedRequesters
    {
        get
        {
            lock (_lock)
            {
                return _requests.Queue.Requesters + _background.Queue.Requesters;
            }
        }
    }

    /// <summary>Frees <paramref name="lease"/>'s slot, handing it to the next waiter.</summary>
    internal void Release(CpuLease lease)
    {
        Waiter? next;
        lock (_lock)
        {
            _running--;
            _runningCost = _running == 0 ? 0 : _runningCost - lease.Work.Cost;
            LaneOf(lease.Work.Lane).Queue.Finished(lease.Work.Requester);
            _pace.Learn(_time.GetElapsedTime(lease.StartedAt), lease.Work.Cost);
            next = TakeNext();
            if (next is null)
            {
                _free++;
            }
        }

        if (next is not null)
        {
            next.Timer?.Dispose();
            _metrics?.Started(next.Work, _time.GetElapsedTime(next.EnqueuedAt));
            next.Completion.TrySetResult(new CpuLease(this, next.Work, _time.GetTimestamp()));
        }
    }

    // Under the lock.
    private Waiter? TakeNext()
    {
        var request = _requests.Queue.Peek();
        var background = _background.Queue.Peek();
        if (request is null && background is null)
        {
            return null;
        }

        // Ties go to the background lane: it has at most a few waiters, and it is the one that must
        // not be starved.
        var lane = request is null ? _background
            : background is null ? _requests
            : _background.Pass <= _requests.Pass + PassTolerance ? _background
            : _requests;
        var next = lane == _requests ? request! : background!;
        lane.Queue.Dequeue(next);
        next.State = WaiterState.Started;
        MarkStarted(lane, next.Work.Cost);
        return next;
    }

    // Under the lock.
    private void MarkStarted(Lane lane, double cost)
    {
        _running++;
        _runningCost += cost;
        lane.Pass += cost / lane.Share;
        var other = lane == _requests ? _background : _requests;
        if (other.Queue.Count == 0)
        {
            other.Pass = Math.Max(other.Pass, lane.Pass);
        }
    }

    // Under the lock. Longest-queue drop: when the queue is full, the requester holding the most of it
    // gives way to one holding less, so a flood fills the queue only until someone else arrives.
    private bool TryMakeRoom(CpuWork work, out List<Waiter>? displaced)
    {
        displaced = null;
        var queue = _requests.Queue;
        var needed = queue.QueuedCost + work.Cost - _limits.MaxQueuedCost;
        if (needed <= 0)
        {
            return true;
        }

        displaced = queue.DisplaceableFor(work.Requester, queue.QueuedCostOf(work.Requester) + work.Cost, needed);
        if (displaced is null)
        {
            return false;
        }

        foreach (var victim in displaced)
        {
            queue.Remove(victim);
            victim.State = WaiterState.Rejected;
        }

        return true;
    }

    private void OnWaitExpired(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.State != WaiterState.Queued)
            {
                return;
            }

            LaneOf(waiter.Work.Lane).Queue.Remove(waiter);
            waiter.State = WaiterState.Rejected;
        }

        Reject(waiter, "wait_exceeded", $"The {waiter.Work.Kind} did not start within {_limits.MaxWait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
    }

    private void OnCancelled(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.State != WaiterState.Queued)
            {
                return;
            }

            LaneOf(waiter.Work.Lane).Queue.Remove(waiter);
            waiter.State = WaiterState.Cancelled;
        }

        waiter.Timer?.Dispose();
        _metrics?.Cancelled(waiter.Work, _time.GetElapsedTime(waiter.EnqueuedAt));
        waiter.Completion.TrySetCanceled(cancellationToken);
    }

    // For a waiter already taken out of the queue and marked rejected.
    private void Reject(Waiter waiter, string reason, string what)
    {
        ServiceBusyException busy;
        lock (_lock)
        {
            busy = Busy(what);
        }

        waiter.Timer?.Dispose();
        _metrics?.Rejected(waiter.Work, reason, _time.GetElapsedTime(waiter.EnqueuedAt));
        waiter.Completion.TrySetException(busy);
    }

    // Under the lock.
    private ServiceBusyException Busy(string what)
    {
        // When the work ahead now (running and queued) has drained; the wait bound before any has finished.
        var backlog = _runningCost + _requests.Queue.QueuedCost + _background.Queue.QueuedCost;
        var retryAfter = _pace.TimeToDrain(backlog, _limits.Slots, _limits.MaxWait, MaxRetryAfter);
        return new ServiceBusyException($"{what}; try again in {retryAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", retryAfter);
    }

    private Lane LaneOf(WorkLane lane) => lane == WorkLane.Request ? _requests : _background;

    private sealed class Lane(double share)
    {
        public double Share { get; } = share;

        public FairQueue Queue { get; } = new();

        /// <summary>Started cost ÷ share: the lane with the lower pass is behind its share.</summary>
        public double Pass { get; set; }
    }
}
