using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>
/// Dedicated threads for RSA private-key operations, each lowered by <c>Load:PrivateKeyNice</c> on
/// the operating system's scale (Linux nice; a lower thread priority elsewhere). A thread-pool thread
/// doing an RSA-4096 decryption holds its core for tens of milliseconds at the same priority as the
/// threads that would answer a health check; these threads yield their core to that work whenever it
/// has any, and take all of it when it has none, so throughput is unchanged while latency elsewhere
/// is not held hostage. As many threads as the gate has slots: a slot's holder never waits for one.
/// A thread created by a lowered thread inherits its nice value, and the thread pool creates its
/// workers from whichever thread queues work: so a lowered thread never queues any. It hands each
/// finished operation to one completion thread at normal priority, which resumes the caller.
/// </summary>
public sealed class PrivateKeyThreads : IDisposable
{
    private readonly BlockingCollection<WorkItem> _queue = new();
    private readonly BlockingCollection<WorkItem> _finished = new();
    private readonly Thread[] _threads;
    private readonly Thread _completion;

    /// <summary>Starts <paramref name="count"/> threads, each lowered by <paramref name="nice"/> (0: not lowered).</summary>
    public PrivateKeyThreads(int count, int nice, ILogger<PrivateKeyThreads> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(logger);
        _threads = new Thread[count];
        var lowered = 0;
        using var started = new CountdownEvent(count);
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new Thread(() =>
            {
                if (nice > 0 && ThreadNice.TryLowerCurrentThread(nice))
                {
                    Interlocked.Increment(ref lowered);
                }

                started.Signal();
                Run();
            })
            {
                IsBackground = true,
                Name = $"private-key-{i + 1}",
            };
            _threads[i].Start();
        }

        _completion = new Thread(Complete) { IsBackground = true, Name = "private-key-completion" };
        _completion.Start();
        started.Wait();
        if (nice > 0 && lowered < count)
        {
            logger.LogWarning("Private-key threads could not be given a lower CPU priority ({Lowered} of {Count}); they run at normal priority.", lowered, count);
        }
    }

    /// <summary>Runs <paramref name="operation"/> on one of the threads; its result or exception comes back on the thread pool.</summary>
    public Task<T> RunAsync<T>(Func<T> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var item = new WorkItem<T>(operation);
        _queue.Add(item);
        return item.Task;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }

        _finished.CompleteAdding();
        _completion.Join(TimeSpan.FromSeconds(5));
        _queue.Dispose();
        _finished.Dispose();
    }

    private void Run()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            item.Execute();
            _finished.Add(item);
        }
    }

    private void Complete()
    {
        foreach (var item in _finished.GetConsumingEnumerable())
        {
            item.Complete();
        }
    }

    private abstract class WorkItem
    {
        /// <summary>Runs the operation and keeps its outcome (on a lowered thread: touches nothing else).</summary>
        public abstract void Execute();

        /// <summary>Hands the outcome to the caller (on the completion thread).</summary>
        public abstract void Complete();
    }

    private sealed class WorkItem<T>(Func<T> operation) : WorkItem
    {
        // Continuations go to the thread pool, not onto this thread, which is for RSA work only.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private T? _result;
        private Exception? _exception;

        public Task<T> Task => _completion.Task;

        public override void Execute()
        {
            try
            {
                _result = operation();
            }
            catch (Exception exception)
            {
                _exception = exception;
            }
        }

        public override void Complete()
        {
            if (_exception is null)
            {
                _completion.SetResult(_result!);
            }
            else
            {
                _completion.SetException(_exception);
            }
        }
    }
}
