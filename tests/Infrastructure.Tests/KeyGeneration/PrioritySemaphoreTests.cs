using CryptoSecure.Infrastructure.KeyGeneration;

namespace CryptoSecure.Infrastructure.Tests.KeyGeneration;

/// <summary>
/// Slot hand-over is synchronous (Release completes the next waiter's task before returning), so each
/// step can be checked right after it, without waiting or timing.
/// </summary>
public sealed class PrioritySemaphoreTests
{
    [Fact]
    public void Free_slots_are_taken_immediately_and_counted()
    {
        var semaphore = new PrioritySemaphore(3);

        var request = semaphore.WaitAsync(GenerationPriority.Request, CancellationToken.None);
        var pool = semaphore.WaitAsync(GenerationPriority.Pool, CancellationToken.None);

        request.IsCompletedSuccessfully.Should().BeTrue();
        pool.IsCompletedSuccessfully.Should().BeTrue();
        semaphore.Free.Should().Be(1);
    }

    [Fact]
    public void Waiter_is_queued_when_no_slot_is_free_and_released_into_it()
    {
        var semaphore = Full(1);

        var waiter = semaphore.WaitAsync(GenerationPriority.Request, CancellationToken.None);
        waiter.IsCompleted.Should().BeFalse();

        semaphore.Release();

        waiter.IsCompletedSuccessfully.Should().BeTrue();
        semaphore.Free.Should().Be(0, "the released slot went straight to the waiter");
    }

    [Fact]
    public void Request_waiter_queued_after_a_pool_waiter_gets_the_next_released_slot_first()
    {
        var semaphore = Full(1);
        var pool = semaphore.WaitAsync(GenerationPriority.Pool, CancellationToken.None);
        var request = semaphore.WaitAsync(GenerationPriority.Request, CancellationToken.None);

        semaphore.Release();

        request.IsCompletedSuccessfully.Should().BeTrue();
        pool.IsCompleted.Should().BeFalse();

        semaphore.Release();

        pool.IsCompletedSuccessfully.Should().BeTrue();
        semaphore.Free.Should().Be(0);
    }

    [Fact]
    public void Pool_waiter_gets_a_slot_only_after_every_queued_request()
    {
        var semaphore = Full(2);
        var firstRequest = semaphore.WaitAsync(GenerationPriority.Request, CancellationToken.None);
        var pool = semaphore.WaitAsync(GenerationPriority.Pool, CancellationToken.None);
        var secondRequest = semaphore.WaitAsync(GenerationPriority.Request, CancellationToken.None);

        semaphore.Release();
        firstRequest.IsCompletedSuccessfully.Should().BeTrue();
        secondRequest.IsCompleted.Should().BeFalse();
        pool.IsCompleted.Should().BeFalse();

        semaphore.Release();
        secondRequest.IsCompletedSuccessfully.Should().BeTrue();
        pool.IsCompleted.Should().BeFalse();

        semaphore.Release();
        pool.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public void Requests_are_served_in_arrival_order()
    {
        var semaphore = Full(1);
        var waiters = Enumerable.Range(0, 4).Select(_ => semaphore.WaitAsync(GenerationPriority.Request, CancellationToken.None)).ToArray();

        for (var i = 0; i < waiters.Length; i++)
        {
            semaphore.Release();
            waiters.Take(i + 1).Should().OnlyContain(w => w.IsCompletedSuccessfully);
            waiters.Skip(i + 1).Should().NotContain(w => w.IsCompleted);
        }
    }

    [Fact]
    public void Pool_waiter_does_not_take_a_slot_while_a_request_is_queued()
    {
        var semaphore = Full(2);
        var request = semaphore.WaitAsync(GenerationPriority.Request, CancellationToken.None);
        var pool = semaphore.WaitAsync(GenerationPriority.Pool, CancellationToken.None);

        semaphore.Release();

        request.IsCompletedSuccessfully.Should().BeTrue();
        pool.IsCompleted.Should().BeFalse("the freed slot belonged to the waiting request");
        semaphore.Free.Should().Be(0);

        var latePool = semaphore.WaitAsync(GenerationPriority.Pool, CancellationToken.None);
        latePool.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public void Cancelling_a_queued_waiter_withdraws_it_so_the_next_release_goes_to_the_next_waiter()
    {
        var semaphore = Full(1);
        using var cts = new CancellationTokenSource();
        var cancelled = semaphore.WaitAsync(GenerationPriority.Request, cts.Token);
        var next = semaphore.WaitAsync(GenerationPriority.Request, CancellationToken.None);

        cts.Cancel();

        cancelled.IsCanceled.Should().BeTrue();
        semaphore.Release();
        next.IsCompletedSuccessfully.Should().BeTrue();
        semaphore.Free.Should().Be(0);
    }

    [Fact]
    public void Cancelling_a_queued_pool_waiter_lets_the_slot_go_to_the_next_pool_waiter()
    {
        var semaphore = Full(1);
        using var cts = new CancellationTokenSource();
        var cancelled = semaphore.WaitAsync(GenerationPriority.Pool, cts.Token);
        var next = semaphore.WaitAsync(GenerationPriority.Pool, CancellationToken.None);

        cts.Cancel();
        semaphore.Release();

        cancelled.IsCanceled.Should().BeTrue();
        next.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public void Cancelling_the_only_waiter_leaves_the_next_release_as_a_free_slot()
    {
        var semaphore = Full(1);
        using var cts = new CancellationTokenSource();
        var cancelled = semaphore.WaitAsync(GenerationPriority.Pool, cts.Token);

        cts.Cancel();
        semaphore.Release();

        cancelled.IsCanceled.Should().BeTrue();
        semaphore.Free.Should().Be(1);
    }

    [Fact]
    public async Task Cancelled_waiter_throws_OperationCanceledException_when_awaited()
    {
        var semaphore = Full(1);
        using var cts = new CancellationTokenSource();
        var waiter = semaphore.WaitAsync(GenerationPriority.Request, cts.Token);

        await cts.CancelAsync();

        await waiter.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Cancelling_after_the_slot_was_granted_keeps_the_grant()
    {
        var semaphore = Full(1);
        using var cts = new CancellationTokenSource();
        var waiter = semaphore.WaitAsync(GenerationPriority.Request, cts.Token);
        semaphore.Release();

        cts.Cancel();

        waiter.IsCompletedSuccessfully.Should().BeTrue();
        semaphore.Free.Should().Be(0, "the waiter owns the slot until it releases it");
        semaphore.Release();
        semaphore.Free.Should().Be(1);
    }

    [Fact]
    public void Already_cancelled_token_throws_without_taking_a_slot()
    {
        var semaphore = new PrioritySemaphore(1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        // Synchronously, before any queueing.
        Action act = () => _ = semaphore.WaitAsync(GenerationPriority.Request, cts.Token);

        act.Should().Throw<OperationCanceledException>();
        semaphore.Free.Should().Be(1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_semaphore_needs_at_least_one_slot(int slots)
    {
        var act = () => new PrioritySemaphore(slots);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static PrioritySemaphore Full(int slots)
    {
        var semaphore = new PrioritySemaphore(slots);
        for (var i = 0; i < slots; i++)
        {
            semaphore.WaitAsync(GenerationPriority.Request, CancellationToken.None).IsCompletedSuccessfully.Should().BeTrue();
        }

        semaphore.Free.Should().Be(0);
        return semaphore;
    }
}
