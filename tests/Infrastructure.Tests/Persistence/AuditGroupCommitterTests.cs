using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Infrastructure.Persistence;

namespace CryptoSecure.Infrastructure.Tests.Persistence;

/// <summary>
/// The group commit's promises, with a store write the test holds open: appends that arrive during a
/// write share the next one, nobody is answered before their group is written, a failed group fails
/// exactly its own callers, and closing writes what is queued.
/// </summary>
public sealed class AuditGroupCommitterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_lone_append_is_written_at_once_as_a_group_of_one()
    {
        var store = new HeldStore();
        await using var committer = new AuditGroupCommitter(store.WriteAsync);

        var append = committer.AppendAsync(NewEvent("alone"), default);
        var write = await store.NextWriteAsync();

        write.Events.Select(e => e.RequestId).Should().Equal("alone");
        append.IsCompleted.Should().BeFalse("the caller waits for its group to be written");
        write.Finish();
        await append.WaitAsync(Patience);
    }

    [Fact]
    public async Task Appends_arriving_during_a_write_share_the_next_write_in_arrival_order()
    {
        var store = new HeldStore();
        await using var committer = new AuditGroupCommitter(store.WriteAsync);
        var first = committer.AppendAsync(NewEvent("first"), default);
        var firstWrite = await store.NextWriteAsync();

        var waiting = Enumerable.Range(0, 50).Select(i => committer.AppendAsync(NewEvent("r" + i), default)).ToList();
        firstWrite.Finish();
        await first.WaitAsync(Patience);
        var secondWrite = await store.NextWriteAsync();

        secondWrite.Events.Select(e => e.RequestId).Should().Equal(Enumerable.Range(0, 50).Select(i => "r" + i));
        waiting.Should().OnlyContain(t => !t.IsCompleted, "no caller is answered before its group is durable");
        secondWrite.Finish();
        await Task.WhenAll(waiting).WaitAsync(Patience);
    }

    [Fact]
    public async Task A_group_holds_at_most_its_cap_and_the_rest_follow_in_the_next()
    {
        var store = new HeldStore();
        await using var committer = new AuditGroupCommitter(store.WriteAsync, maxGroupSize: 4);
        var first = committer.AppendAsync(NewEvent("first"), default);
        var firstWrite = await store.NextWriteAsync();
        var waiting = Enumerable.Range(0, 6).Select(i => committer.AppendAsync(NewEvent("r" + i), default)).ToList();

        firstWrite.Finish();
        var second = await store.NextWriteAsync();
        second.Events.Should().HaveCount(4);
        second.Finish();
        var third = await store.NextWriteAsync();
        third.Events.Select(e => e.RequestId).Should().Equal("r4", "r5");
        third.Finish();

        await Task.WhenAll(waiting.Append(first)).WaitAsync(Patience);
    }

    [Fact]
    public async Task A_failed_group_fails_every_caller_in_it_and_the_next_group_is_written()
    {
        var store = new HeldStore();
        await using var committer = new AuditGroupCommitter(store.WriteAsync);
        var first = committer.AppendAsync(NewEvent("first"), default);
        var firstWrite = await store.NextWriteAsync();
        var doomed = Enumerable.Range(0, 3).Select(i => committer.AppendAsync(NewEvent("doomed" + i), default)).ToList();
        firstWrite.Finish();
        await first.WaitAsync(Patience);

        (await store.NextWriteAsync()).Fail(new StoreUnavailableException("SQLite error 10 (extended 4874)."));

        foreach (var caller in doomed)
        {
            var failure = await caller.Invoking(t => t.WaitAsync(Patience)).Should().ThrowAsync<StoreUnavailableException>();
            failure.Which.Message.Should().Be("SQLite error 10 (extended 4874).");
        }

        doomed.Select(t => t.Exception!.InnerException).Distinct().Should().HaveCount(3, "each caller rethrows an exception of its own");
        var later = committer.AppendAsync(NewEvent("later"), default);
        var laterWrite = await store.NextWriteAsync();
        laterWrite.Events.Select(e => e.RequestId).Should().Equal("later");
        laterWrite.Finish();
        await later.WaitAsync(Patience);
    }

    [Fact]
    public async Task An_unexpected_failure_of_the_write_is_a_store_failure_for_its_callers()
    {
        await using var committer = new AuditGroupCommitter(_ => throw new InvalidOperationException("bug"));

        var act = () => committer.AppendAsync(NewEvent("x"), default).WaitAsync(Patience);

        await act.Should().ThrowAsync<StoreUnavailableException>();
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_fail_the_others_in_its_group()
    {
        var store = new HeldStore();
        await using var committer = new AuditGroupCommitter(store.WriteAsync);
        var first = committer.AppendAsync(NewEvent("first"), default);
        var firstWrite = await store.NextWriteAsync();
        using var giveUp = new CancellationTokenSource();
        var impatient = committer.AppendAsync(NewEvent("impatient"), giveUp.Token);
        var patient = committer.AppendAsync(NewEvent("patient"), default);

        await giveUp.CancelAsync();
        firstWrite.Finish();
        var second = await store.NextWriteAsync();
        second.Finish();

        await impatient.Invoking(t => t.WaitAsync(Patience)).Should().ThrowAsync<OperationCanceledException>();
        await patient.WaitAsync(Patience);
        second.Events.Select(e => e.RequestId).Should().Equal("impatient", "patient");
    }

    [Fact]
    public async Task Closing_writes_what_is_queued_and_then_refuses_appends()
    {
        var store = new HeldStore();
        var committer = new AuditGroupCommitter(store.WriteAsync);
        var first = committer.AppendAsync(NewEvent("first"), default);
        var firstWrite = await store.NextWriteAsync();
        var queued = committer.AppendAsync(NewEvent("queued"), default);

        var closing = committer.DisposeAsync().AsTask();
        closing.IsCompleted.Should().BeFalse();
        firstWrite.Finish();
        (await store.NextWriteAsync()).Finish();
        await closing.WaitAsync(Patience);

        await Task.WhenAll(first, queued).WaitAsync(Patience);
        var late = () => committer.AppendAsync(NewEvent("late"), default);
        await late.Should().ThrowAsync<StoreUnavailableException>();
    }

    private static AuditEvent NewEvent(string requestId) =>
        new(Guid.CreateVersion7(), DateTimeOffset.UnixEpoch, AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Anonymous, 1, null, requestId);

    /// <summary>A store whose writes wait until the test finishes or fails each one.</summary>
    private sealed class HeldStore
    {
        private readonly System.Threading.Channels.Channel<HeldWrite> _writes = System.Threading.Channels.Channel.CreateUnbounded<HeldWrite>();

        public Task WriteAsync(IReadOnlyList<AuditEvent> events)
        {
            var write = new HeldWrite([.. events]);
            _writes.Writer.TryWrite(write);
            return write.Done.Task;
        }

        public async Task<HeldWrite> NextWriteAsync() => await _writes.Reader.ReadAsync().AsTask().WaitAsync(Patience);
    }

    private sealed class HeldWrite(IReadOnlyList<AuditEvent> events)
    {
        public IReadOnlyList<AuditEvent> Events { get; } = events;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Finish() => Done.SetResult();

        public void Fail(Exception exception) => Done.SetException(exception);
    }
}
