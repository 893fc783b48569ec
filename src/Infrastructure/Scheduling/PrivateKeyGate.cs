using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>
/// The service's <see cref="IPrivateKeyGate"/>: a <see cref="CpuWorkScheduler"/> of its own (slots
/// and queue from <c>Load:*</c>), not key generation's, so a millisecond decryption never waits
/// behind a second-long generation, and each kind of work keeps its own bound. Admitted work runs on
/// the thread that was admitted, or, with <c>Load:PrivateKeyNice</c> above 0, on
/// <see cref="PrivateKeyThreads"/>: one thread per slot at a lower CPU priority, so that when
/// private-key work saturates the cores the operating system runs everything else first.
/// </summary>
public sealed class PrivateKeyGate : IPrivateKeyGate, IDisposable
{
    private readonly PrivateKeyThreads? _threads;

    /// <summary>A gate over <paramref name="scheduler"/>; <paramref name="threads"/> (owned, disposed with the gate) or null to run on the caller's thread.</summary>
    public PrivateKeyGate(CpuWorkScheduler scheduler, PrivateKeyThreads? threads = null)
    {
        Scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        _threads = threads;
    }

    /// <summary>
    /// Raises the thread pool's minimum of worker threads by twice <paramref name="slots"/>, for a
    /// gate that runs operations on the admitted thread: each running operation holds a pool thread
    /// for its whole RSA computation (tens of milliseconds for RSA-4096), and the pool adds threads
    /// only slowly once its minimum is busy, so under a flood of private-key work the health checks
    /// and public reads queued behind the flood's busy answers waited for a free thread. Measured in
    /// the overload benchmark: health p99 200–260 ms in two of three runs with the default minimum,
    /// 15–20 ms in all three with it raised (bench/README.md). Never lowers a minimum set elsewhere.
    /// </summary>
    public static void ReserveThreadPoolThreads(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = Math.Max(workers, Environment.ProcessorCount + (2 * slots));
        if (wanted > workers)
        {
            ThreadPool.SetMinThreads(wanted, completionPorts);
        }
    }

    /// <summary>The scheduler, for gauges and tests.</summary>
    public CpuWorkScheduler Scheduler { get; }

    /// <inheritdoc />
    public ServiceBusyException? RefusalNow(string requester) =>
        Scheduler.RefusalFor(new CpuWork(WorkLane.Request, requester, PrivateKeyCost.Of(KeySize.Rsa2048), PrivateKeyCost.WorkKind));

    /// <inheritdoc />
    public async ValueTask<T> RunAsync<T>(KeySize size, string requester, Func<T> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var lease = await Scheduler.AcquireAsync(new CpuWork(WorkLane.Request, requester, PrivateKeyCost.Of(size), PrivateKeyCost.WorkKind), cancellationToken).ConfigureAwait(false);

        // The slot bounds how many run at once whichever thread runs it; with lowered threads there
        // is one per slot, so the holder of a slot never waits for a thread.
        return _threads is null ? operation() : await _threads.RunAsync(operation).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _threads?.Dispose();
}
