namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>Where a waiter stands.</summary>
internal enum WaiterState
{
    Queued,
    Started,
    Rejected,
    Cancelled,
}

/// <summary>One piece of work waiting for a slot.</summary>
internal sealed class Waiter(CpuWork work, long enqueuedAt, long sequence)
{
    public CpuWork Work { get; } = work;

    /// <summary>TimeProvider timestamp of arrival, for the wait metric.</summary>
    public long EnqueuedAt { get; } = enqueuedAt;

    /// <summary>Arrival order, to break ties between equal start tags.</summary>
    public long Sequence { get; } = sequence;

    public TaskCompletionSource<CpuLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WaiterState State { get; set; } = WaiterState.Queued;

    /// <summary>Its place in start-time fair queuing: smallest starts first.</summary>
    public double StartTag { get; set; }

    public LinkedListNode<Waiter>? Node { get; set; }

    /// <summary>The wait bound (requests only).</summary>
    public ITimer? Timer { get; set; }
}

/// <summary>
/// Start-time fair queuing (Goyal, Vin and Cheng, "Start-time Fair Queuing", SIGCOMM 1996) between
/// requesters, weighted by cost. Each requester's work is tagged, in arrival order, with the later
/// of the lane's virtual time and the end of that requester's previous work, and the smallest tag
/// starts first. So a requester arriving with one request is placed at the current virtual time,
/// ahead of another's backlog, and two busy requesters get equal CPU time whatever the size of
/// each piece: one RSA-4096 generation (cost 8) for every eight RSA-2048 ones. Work that starts at
/// once, without queuing, is tagged too, so it counts against its requester's share. A requester
/// is remembered only while it has work running or queued: one with nothing outstanding comes
/// back like a newcomer, and the table never holds more requesters than there are slots and
/// waiters, however many addresses call. Not thread-safe: <see cref="CpuWorkScheduler"/> calls
/// it under its lock.
/// </summary>
internal sealed class FairQueue
{
    // Costs are small whole numbers in practice; this only absorbs floating-point dust.
    private const double Tolerance = 1e-9;

    private readonly Dictionary<string, Flow> _flows = new(StringComparer.Ordinal);
    private double _virtualTime;

    /// <summary>Waiters queued.</summary>
    public int Count { get; private set; }

    /// <summary>Their total cost.</summary>
    public double QueuedCost { get; private set; }

    /// <summary>Requesters remembered (those with work running or queued).</summary>
    public int Requesters => _flows.Count;

    /// <summary>Accounts for work that starts without queuing.</summary>
    public void StartedAtOnce(CpuWork work)
    {
        var flow = FlowOf(work.Requester);
        var start = Math.Max(_virtualTime, flow.Finish);
        flow.Finish = start + work.Cost;
        flow.Running++;
        _virtualTime = Math.Max(_virtualTime, start);
    }

    /// <summary>Accounts for work of <paramref name="requester"/> that has finished running.</summary>
    public void Finished(string requester)
    {
        var flow = _flows[requester];
        flow.Running--;
        Forget(flow);
    }

    /// <summary>Queues <paramref name="waiter"/> behind its requester's earlier work.</summary>
    public void Enqueue(Waiter waiter)
    {
        var flow = FlowOf(waiter.Work.Requester);
        waiter.StartTag = Math.Max(_virtualTime, flow.Finish);
        flow.Finish = waiter.StartTag + waiter.Work.Cost;
        waiter.Node = flow.Waiters.AddLast(waiter);
        flow.QueuedCost += waiter.Work.Cost;
        Count++;
        QueuedCost += waiter.Work.Cost;
    }

    /// <summary>The waiter that should start next, left in place; null when none waits.</summary>
    public Waiter? Peek()
    {
        Waiter? best = null;
        foreach (var flow in _flows.Values)
        {
            if (flow.Waiters.First?.Value is { } head
                && (best is null || head.StartTag < best.StartTag - Tolerance || (Math.Abs(head.StartTag - best.StartTag) <= Tolerance && head.Sequence < best.Sequence)))
            {
                best = head;
            }
        }

        return best;
    }

    /// <summary>Takes <paramref name="waiter"/> (the one <see cref="Peek"/> returned) out to start it.</summary>
    public void Dequeue(Waiter waiter)
    {
        _flows[waiter.Work.Requester].Running++;
        Unlink(waiter);
        _virtualTime = Math.Max(_virtualTime, waiter.StartTag);
    }

    /// <summary>
    /// Withdraws a waiter that will not run (cancelled, timed out, displaced): its requester's later
    /// work moves up by its cost, so work that never ran is not charged to anyone.
    /// </summary>
    public void Remove(Waiter waiter)
    {
        var flow = _flows[waiter.Work.Requester];
        for (var later = waiter.Node!.Next; later is not null; later = later.Next)
        {
            later.Value.StartTag -= waiter.Work.Cost;
        }

        flow.Finish -= waiter.Work.Cost;
        Unlink(waiter);
        Forget(flow);
    }

    /// <summary>
    /// The waiters to turn away so that <paramref name="needed"/> cost fits for a newcomer from
    /// <paramref name="requester"/>, whose queued cost would then be <paramref name="newcomerShare"/>:
    /// repeatedly the newest waiter of whichever other requester holds the most, while that
    /// requester holds more than the newcomer would (longest-queue drop). Null when that cannot make
    /// enough room; nothing is changed either way.
    /// </summary>
    public List<Waiter>? DisplaceableFor(string requester, double newcomerShare, double needed)
    {
        var tails = _flows.Values
            .Where(f => f.Waiters.Count > 0 && !string.Equals(f.Requester, requester, StringComparison.Ordinal))
            .Select(f => (Held: f.QueuedCost, Newest: f.Waiters.Last))
            .ToList();
        var victims = new List<Waiter>();
        var freed = 0.0;
        while (freed < needed - Tolerance)
        {
            var heaviest = -1;
            for (var i = 0; i < tails.Count; i++)
            {
                if (tails[i].Newest is not null && (heaviest < 0 || tails[i].Held > tails[heaviest].Held))
                {
                    heaviest = i;
                }
            }

            if (heaviest < 0 || tails[heaviest].Held <= newcomerShare + Tolerance)
            {
                return null;
            }

            var newest = tails[heaviest].Newest!;
            victims.Add(newest.Value);
            freed += newest.Value.Work.Cost;
            tails[heaviest] = (tails[heaviest].Held - newest.Value.Work.Cost, newest.Previous);
        }

        return victims;
    }

    /// <summary>Cost <paramref name="requester"/> has queued.</summary>
    public double QueuedCostOf(string requester) => _flows.TryGetValue(requester, out var flow) ? flow.QueuedCost : 0;

    private Flow FlowOf(string requester)
    {
        if (!_flows.TryGetValue(requester, out var flow))
        {
            flow = new Flow(requester) { Finish = _virtualTime };
            _flows[requester] = flow;
        }

        return flow;
    }

    private void Unlink(Waiter waiter)
    {
        var flow = _flows[waiter.Work.Requester];
        flow.Waiters.Remove(waiter.Node!);
        waiter.Node = null;
        flow.QueuedCost -= waiter.Work.Cost;
        Count--;
        QueuedCost -= waiter.Work.Cost;
        if (Count == 0)
        {
            QueuedCost = 0; // no drift once the queue is empty
        }
    }

    // A requester with nothing running or queued owes nothing: forgetting it bounds the table.
    private void Forget(Flow flow)
    {
        if (flow.Waiters.Count == 0 && flow.Running == 0)
        {
            _flows.Remove(flow.Requester);
        }
    }

    private sealed class Flow(string requester)
    {
        public string Requester { get; } = requester;

        /// <summary>Virtual time at which this requester's tagged work ends.</summary>
        public double Finish { get; set; }

        public double QueuedCost { get; set; }

        /// <summary>Pieces of its work holding a slot.</summary>
        public int Running { get; set; }

        public LinkedList<Waiter> Waiters { get; } = new();
    }
}
