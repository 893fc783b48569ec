using System.Threading.Channels;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>
/// Group commit for the audit trail: concurrent appends share one store write (one transaction, one
/// fsync) instead of queueing for one each. One loop per store drains the queue: it takes whatever
/// is pending (at most <see cref="MaxGroupSize"/>), writes it as one group, and only then completes
/// each caller's task, so no operation is acknowledged before its event is durable. When the loop is
/// idle a lone append is written at once: grouping comes from the appends that arrive while the
/// previous group is being committed, never from a timer.
/// </summary>
internal sealed class AuditGroupCommitter : IAsyncDisposable, IDisposable
{
    /// <summary>The largest group: bounds one transaction's size and the wait of its last caller.</summary>
    public const int MaxGroupSize = 512;

    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<AuditEvent>, Task> _writeGroup;
    private readonly int _maxGroupSize;
    private readonly Task _draining;

    /// <param name="writeGroup">
    /// Writes the events atomically, in order, and returns once they are durable; throws when it did
    /// not (the store's own exception, <see cref="StoreUnavailableException"/> for a store failure).
    /// It is given no cancellation token: one caller giving up must not fail the others' group.
    /// </param>
    /// <param name="maxGroupSize">At most this many events per group.</param>
    public AuditGroupCommitter(Func<IReadOnlyList<AuditEvent>, Task> writeGroup, int maxGroupSize = MaxGroupSize)
    {
        ArgumentNullException.ThrowIfNull(writeGroup);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroupSize, 1);
        _writeGroup = writeGroup;
        _maxGroupSize = maxGroupSize;
        _draining = Task.Run(DrainAsync);
    }

    /// <summary>
    /// Queues <paramref name="auditEvent"/> for the next group; completes once that group is durable,
    /// and fails with the group's failure otherwise. Cancelling stops the wait, not the write: the
    /// event may still be stored, but the caller never sees its operation reported as done.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The group failed, or the store is closing.</exception>
    public Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingAppend(auditEvent);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new StoreUnavailableException("The audit trail is closed: the store is shutting down.");
        }

        return cancellationToken.CanBeCanceled ? pending.Written.Task.WaitAsync(cancellationToken) : pending.Written.Task;
    }

    /// <summary>Stops taking appends and waits until every queued one has been written (or failed).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _draining.ConfigureAwait(false);
    }

    /// <inheritdoc />
    // For a container disposed synchronously (tests); the loop runs on the thread pool, so blocking here cannot deadlock it.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task DrainAsync()
    {
        var reader = _queue.Reader;
        var group = new List<PendingAppend>(_maxGroupSize);
        var events = new List<AuditEvent>(_maxGroupSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (group.Count < _maxGroupSize && reader.TryRead(out var pending))
            {
                group.Add(pending);
                events.Add(pending.Event);
            }

            try
            {
                await _writeGroup(events).ConfigureAwait(false);
                foreach (var pending in group)
                {
                    pending.Written.TrySetResult();
                }
            }
#pragma warning disable CA1031 // Every failure goes to the group's callers; the loop must live on for the next group.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var pending in group)
                {
                    pending.Written.TrySetException(ForOneCaller(ex));
                }
            }

            group.Clear();
            events.Clear();
        }
    }

    // Each caller rethrows its own exception object: one instance rethrown on many threads at once
    // would have its stack trace rewritten by all of them.
    private static StoreUnavailableException ForOneCaller(Exception exception) => exception switch
    {
        StoreUnavailableException unavailable => new StoreUnavailableException(unavailable.Message, unavailable.InnerException),
        _ => new StoreUnavailableException("The audit group could not be written.", exception),
    };

    private sealed class PendingAppend(AuditEvent auditEvent)
    {
        public AuditEvent Event { get; } = auditEvent;

        // Asynchronous continuations: completing a group must not run its callers' requests on the loop.
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
