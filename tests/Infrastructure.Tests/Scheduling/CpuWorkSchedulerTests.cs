using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace CryptoSecure.Infrastructure.Tests.Scheduling;

/// <summary>
/// A release completes the next waiter's task before it returns, and the wait bound runs on a
/// <see cref="FakeTimeProvider"/>, so each step is checked right after it: no waiting, no timing.
/// Costs are the key-generation ones: 1 for RSA-2048, 8 for RSA-4096.
/// </summary>
public sealed class CpuWorkSchedulerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Free_slots_are_granted_at_once_and_a_released_slot_goes_to_the_waiter()
    {
        var scheduler = Scheduler(slots: 2);

        var first = scheduler.AcquireAsync(Request("a"), default);
        var second = scheduler.AcquireAsync(Request("b"), default);
        var third = scheduler.AcquireAsync(Request("c"), default);

        first.IsCompletedSuccessfully.Should().BeTrue();
        second.IsCompletedSuccessfully.Should().BeTrue();
        third.IsCompleted.Should().BeFalse();
        scheduler.Snapshot().Should().BeEquivalentTo(new { Running = 2, QueuedRequests = 1 });

        (await first).Dispose();

        third.IsCompletedSuccessfully.Should().BeTrue();
        scheduler.Snapshot().Should().BeEquivalentTo(new { Running = 2, QueuedRequests = 0 });
    }

    [Fact]
    public async Task One_requesters_backlog_does_not_stand_before_another_requesters_single_request()
    {
        var scheduler = Scheduler();
        var running = scheduler.AcquireAsync(Request("flood", 8), default);
        var backlog = Enumerable.Range(0, 3).Select(_ => scheduler.AcquireAsync(Request("flood", 8), default)).ToArray();

        var single = scheduler.AcquireAsync(Request("legitimate", 8), default);

        (await ReleaseAndRecordStartsAsync(await running, [.. backlog, single])).Should().Equal(3, 0, 1, 2);
    }

    [Fact]
    public async Task Busy_requesters_share_by_cost_so_one_RSA_4096_counts_as_eight_RSA_2048()
    {
        var scheduler = Scheduler(maxQueuedCost: 100);
        var holder = scheduler.AcquireAsync(Request("holder"), default);
        var large = Enumerable.Range(0, 2).Select(_ => scheduler.AcquireAsync(Request("large", 8), default));
        var small = Enumerable.Range(0, 16).Select(_ => scheduler.AcquireAsync(Request("small", 1), default));
        var waiters = large.Concat(small).ToArray();

        var order = (await ReleaseAndRecordStartsAsync(await holder, waiters)).Select(i => i < 2 ? 'L' : 's');

        string.Concat(order).Should().Be("LssssssssLssssssss");
    }

    [Fact]
    public async Task Requesters_are_remembered_only_while_they_have_work_running_or_queued()
    {
        var scheduler = Scheduler(slots: 2);

        // Many one-off clients, each served at once: nothing of them may pile up.
        for (var i = 0; i < 1000; i++)
        {
            (await scheduler.AcquireAsync(Request($"198.51.100.{i % 250}-{i}"), default)).Dispose();
        }

        scheduler.RememberedRequesters.Should().Be(0);
        using var running = await scheduler.AcquireAsync(Request("a", 8), default);
        using var other = await scheduler.AcquireAsync(Request("b"), default);
        var queued = scheduler.AcquireAsync(Request("c"), default);
        scheduler.RememberedRequesters.Should().Be(3);
        queued.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task A_requester_whose_work_has_finished_queues_like_a_newcomer()
    {
        var scheduler = Scheduler();
        (await scheduler.AcquireAsync(Request("returning", 8), default)).Dispose();
        var holder = await scheduler.AcquireAsync(Request("holder"), default);
        var returning = scheduler.AcquireAsync(Request("returning"), default);
        var newcomer = scheduler.AcquireAsync(Request("newcomer"), default);

        // Its finished RSA-4096 is not held against it: the two are served in arrival order.
        (await ReleaseAndRecordStartsAsync(holder, [returning, newcomer])).Should().Equal(0, 1);
    }

    [Fact]
    public async Task Requests_past_the_queued_cost_bound_are_refused_at_once_with_a_retry_after()
    {
        var scheduler = Scheduler(maxQueuedCost: 8);
        using var holder = await scheduler.AcquireAsync(Request("holder"), default);
        var queued = scheduler.AcquireAsync(Request("a", 8), default);

        var refused = scheduler.AcquireAsync(Request("a", 1), default);

        refused.IsFaulted.Should().BeTrue("the answer must come at once, not after a wait");
        var busy = (await refused.Invoking(t => t).Should().ThrowAsync<ServiceBusyException>()).Which;
        busy.RetryAfter.Should().Be(TimeSpan.FromSeconds(5), "before any work has finished, the wait bound is the best guess");
        busy.Message.Should().Contain("try again in 5 s");
        queued.IsCompleted.Should().BeFalse();
        scheduler.Snapshot().QueuedRequestCost.Should().Be(8);
    }

    [Fact]
    public async Task When_the_queue_is_full_a_lighter_requester_displaces_the_newest_waiter_of_the_heaviest()
    {
        var scheduler = Scheduler(maxQueuedCost: 16);
        var holder = await scheduler.AcquireAsync(Request("holder"), default);
        var oldest = scheduler.AcquireAsync(Request("flood", 8), default);
        var newest = scheduler.AcquireAsync(Request("flood", 8), default);

        var newcomer = scheduler.AcquireAsync(Request("legitimate", 1), default);

        await newest.Invoking(t => t).Should().ThrowAsync<ServiceBusyException>();
        newcomer.IsCompleted.Should().BeFalse("it took the displaced waiter's place");
        scheduler.Snapshot().QueuedRequestCost.Should().Be(9);
        (await ReleaseAndRecordStartsAsync(holder, [oldest, newcomer])).Should().Equal(0, 1);
    }

    [Fact]
    public async Task A_requester_cannot_displace_others_to_grow_its_own_backlog_nor_one_holding_as_much()
    {
        var scheduler = Scheduler(maxQueuedCost: 16);
        using var holder = await scheduler.AcquireAsync(Request("holder"), default);
        var a = scheduler.AcquireAsync(Request("a", 8), default);
        var b = scheduler.AcquireAsync(Request("b", 8), default);

        var more = scheduler.AcquireAsync(Request("a", 1), default);
        var equal = scheduler.AcquireAsync(Request("c", 8), default);

        await more.Invoking(t => t).Should().ThrowAsync<ServiceBusyException>();
        await equal.Invoking(t => t).Should().ThrowAsync<ServiceBusyException>("displacing an equal holder would only swap who waits");
        a.IsCompleted.Should().BeFalse();
        b.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task A_request_not_started_within_the_wait_bound_is_answered_busy_and_leaves_the_queue()
    {
        var scheduler = Scheduler(maxWaitSeconds: 5);
        var holder = await scheduler.AcquireAsync(Request("holder"), default);
        var waiting = scheduler.AcquireAsync(Request("a", 8), default);

        _time.Advance(TimeSpan.FromSeconds(4.9));
        waiting.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(0.2));

        (await waiting.Invoking(t => t).Should().ThrowAsync<ServiceBusyException>()).Which.Message.Should().Contain("did not start within 5 s");
        scheduler.Snapshot().QueuedRequests.Should().Be(0);
        holder.Dispose();
        scheduler.Snapshot().Running.Should().Be(0, "the expired request must not run later");
    }

    [Fact]
    public async Task Background_work_waits_outside_the_request_bounds()
    {
        var scheduler = Scheduler(maxQueuedCost: 0, maxWaitSeconds: 5);
        var holder = scheduler.AcquireAsync(Request("holder"), default);

        var refill = scheduler.AcquireAsync(Background(8), default);
        _time.Advance(TimeSpan.FromMinutes(10));

        refill.IsCompleted.Should().BeFalse("the pool's few workers wait as long as they must");
        (await holder).Dispose();
        refill.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public async Task Neither_lane_starves_background_work_gets_its_share_while_requests_wait()
    {
        var scheduler = Scheduler(maxQueuedCost: 100, backgroundShare: 0.25);
        var lease = await scheduler.AcquireAsync(Request("holder"), default);
        var requests = Enumerable.Range(0, 12).Select(_ => scheduler.AcquireAsync(Request("a"), default)).ToList();
        var refill = scheduler.AcquireAsync(Background(), default);

        var lanes = new List<char>();
        for (var i = 0; i < 8; i++)
        {
            lease.Dispose();
            if (refill.IsCompleted)
            {
                lanes.Add('B');
                lease = await refill;
                refill = scheduler.AcquireAsync(Background(), default); // the refill worker asks again at once
            }
            else
            {
                var started = requests.Single(r => r.IsCompleted);
                requests.Remove(started);
                lanes.Add('R');
                lease = await started;
            }
        }

        string.Concat(lanes).Should().Be("BRRRBRRR");
    }

    [Fact]
    public async Task Cancelling_a_queued_request_frees_its_place_and_it_never_starts()
    {
        var scheduler = Scheduler(maxQueuedCost: 8);
        var holder = await scheduler.AcquireAsync(Request("holder"), default);
        using var gone = new CancellationTokenSource();
        var leaving = scheduler.AcquireAsync(Request("a", 8), gone.Token);
        await scheduler.Invoking(s => s.AcquireAsync(Request("b", 8), default)).Should().ThrowAsync<ServiceBusyException>("the queue is full");

        await gone.CancelAsync();

        await leaving.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        scheduler.Snapshot().QueuedRequestCost.Should().Be(0);
        var next = scheduler.AcquireAsync(Request("b", 8), default);
        holder.Dispose();
        next.IsCompletedSuccessfully.Should().BeTrue();
        scheduler.Snapshot().Running.Should().Be(1, "only the request still waiting started");
    }

    [Fact]
    public async Task An_already_cancelled_request_takes_no_slot()
    {
        var scheduler = Scheduler();
        using var gone = new CancellationTokenSource();
        gone.Cancel();

        var act = () => scheduler.AcquireAsync(Request("a"), gone.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        scheduler.Snapshot().Running.Should().Be(0);
    }

    [Fact]
    public async Task Retry_after_follows_the_measured_pace_of_the_work_ahead()
    {
        var scheduler = Scheduler(maxQueuedCost: 8);
        using (await scheduler.AcquireAsync(Request("a", 2), default))
        {
            _time.Advance(TimeSpan.FromSeconds(4)); // 2 s per cost unit
        }

        using var running = await scheduler.AcquireAsync(Request("a", 2), default);
        var queued = scheduler.AcquireAsync(Request("a", 8), default);
        var refused = scheduler.AcquireAsync(Request("a", 1), default);

        // (2 running + 8 queued) × 2 s on one slot.
        (await refused.Invoking(t => t).Should().ThrowAsync<ServiceBusyException>()).Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(20));
        queued.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task Disposing_a_lease_twice_frees_one_slot()
    {
        var scheduler = Scheduler(slots: 2);
        var lease = await scheduler.AcquireAsync(Request("a"), default);
        using var other = await scheduler.AcquireAsync(Request("b"), default);

        lease.Dispose();
        lease.Dispose();

        scheduler.Snapshot().Running.Should().Be(1);
        (await scheduler.AcquireAsync(Request("c"), default)).Dispose();
        scheduler.AcquireAsync(Request("d"), default).IsCompletedSuccessfully.Should().BeTrue();
        scheduler.AcquireAsync(Request("e"), default).IsCompleted.Should().BeFalse("two slots, both held");
    }

    [Fact]
    public void The_early_refusal_answers_exactly_as_asking_would_and_changes_nothing()
    {
        var scheduler = Scheduler(slots: 1, maxQueuedCost: 16);
        scheduler.RefusalFor(Request("flood", 8)).Should().BeNull("a slot is free");
        var running = scheduler.AcquireAsync(Request("flood", 8), default);
        scheduler.RefusalFor(Request("flood", 8)).Should().BeNull("the queue has room");
        var queued = new[] { scheduler.AcquireAsync(Request("flood", 8), default), scheduler.AcquireAsync(Request("flood", 8), default) };

        var ownRefusal = scheduler.RefusalFor(Request("flood", 1));
        var otherRefusal = scheduler.RefusalFor(Request("someone else", 1));

        ownRefusal.Should().NotBeNull("the queue is full of this requester's own work");
        ownRefusal!.RetryAfter.Should().BePositive();
        otherRefusal.Should().BeNull("another requester would displace the flood's newest waiter, so it must not be turned away early");
        scheduler.Snapshot().Should().BeEquivalentTo(new { Running = 1, QueuedRequests = 2 }, "asking changes nothing");
        queued.Should().OnlyContain(t => !t.IsCompleted);
        scheduler.AcquireAsync(Request("flood", 1), default).IsFaulted.Should().BeTrue("asking for real agrees with the early answer");
        running.IsCompletedSuccessfully.Should().BeTrue();
    }

    internal static CpuWork Request(string requester, double cost = 1) => new(WorkLane.Request, requester, cost, "test work");

    internal static CpuWork Background(double cost = 1) => new(WorkLane.Background, "pool", cost, "test work");

    /// <summary>Releases <paramref name="first"/>, then each lease as it starts; returns the waiters' indexes in start order.</summary>
    private static async Task<List<int>> ReleaseAndRecordStartsAsync(CpuLease first, Task<CpuLease>[] waiters)
    {
        var order = new List<int>();
        var lease = first;
        while (order.Count < waiters.Length)
        {
            lease.Dispose();
            var started = Enumerable.Range(0, waiters.Length).Where(i => waiters[i].IsCompletedSuccessfully && !order.Contains(i)).ToList();
            started.Should().ContainSingle("each release starts exactly one waiter");
            order.Add(started[0]);
            lease = await waiters[started[0]];
        }

        lease.Dispose();
        return order;
    }

    private CpuWorkScheduler Scheduler(int slots = 1, double maxQueuedCost = 32, int maxWaitSeconds = 5, double backgroundShare = 0.25) =>
        new(new CpuWorkLimits(slots, maxQueuedCost, TimeSpan.FromSeconds(maxWaitSeconds), backgroundShare), _time);
}
