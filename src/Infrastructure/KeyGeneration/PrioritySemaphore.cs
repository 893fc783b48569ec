using CryptoSecure.Application.Common.Exceptions;

namespace CryptoSecure.Infrastructure.KeyGeneration;

/// <summary>Who is waiting for a key generation slot.</summary>
public enum GenerationPriority
{
    /// <summary>A request is waiting for the key.</summary>
    Request,

    /// <summary>The pool is topping itself up; yields to requests.</summary>
    Pool,
}

/// <summary>
/// A counting semaphore with two queues: a freed slot goes to the oldest waiting request before
/// any waiting pool refill, and a refill never takes a free slot while a request waits.
/// </summary>
public sealed class PrioritySemaphore
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _requests = new();
    private readonly LinkedList<TaskCompletionSource> _pool = new();
    private readonly int _maxQueuedRequests;
    private int _free;

    /// <summary>Creates a semaphore with <paramref name="slots"/> slots.</summary>
    /// <param name="slots">How many holders at once.</param>
    /// <param name="maxQueuedRequests">How many request waiters may queue; pool waiters are not bounded (there are at most a few).</param>
    public PrioritySemaphore(int slots, int maxQueuedRequests = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxQueuedRequests);
        _free = slots;
        _maxQueuedRequests = maxQueuedRequests;
    }

    /// <summary>Slots free right now.</summary>
    public int Free
    {
        get
        {
            lock (_lock)
            {
                return _free;
            }
        }
    }

    /// <summary>Waits for a slot.</summary>
    /// <exception cref="ServiceBusyException">A request would have to queue behind too many others.</exception>
    public Task WaitAsync(GenerationPriority priority, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            if (_free > 0 && (priority == GenerationPriority.Request || _requests.Count == 0))
            {
                _free--;
                return Task.CompletedTask;
            }

            var queue = priority == GenerationPriority.Request ? _requests : _pool;
            if (priority == GenerationPriority.Request && _requests.Count >= _maxQueuedRequests)
            {
                throw new ServiceBusyException("Too many key generations are waiting.");
            }

            node = queue.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return node.Value.Task;
        }

        var registration = cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                // Still queued: withdraw. Already granted: the slot is the waiter's to release.
                if (node.List is null)
                {
                    return;
                }

                node.List.Remove(node);
            }

            node.Value.TrySetCanceled(cancellationToken);
        });
        node.Value.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return node.Value.Task;
    }

    /// <summary>Frees a slot, handing it to the next waiter (requests first).</summary>
    public void Release()
    {
        TaskCompletionSource? next = null;
        lock (_lock)
        {
            var queue = _requests.Count > 0 ? _requests : _pool.Count > 0 ? _pool : null;
            if (queue is null)
            {
                _free++;
            }
            else
            {
                next = queue.First!.Value;
                queue.RemoveFirst();
            }
        }

        next?.TrySetResult();
    }
}
