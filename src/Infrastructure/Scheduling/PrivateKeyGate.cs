using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>
/// The service's <see cref="IPrivateKeyGate"/>: a <see cref="CpuWorkScheduler"/> of its own (slots
/// and queue from <c>Load:*</c>), not key generation's, so a millisecond decryption never waits
/// behind a second-long generation, and each kind of work keeps its own bound. Admitted work runs on
/// <see cref="PrivateKeyThreads"/>, one thread per slot at a lower CPU priority, so that when private-key
/// work saturates the cores, the operating system still runs health checks, public-key reads,
/// encryptions and the answers that say "busy" first.
/// </summary>
public sealed class PrivateKeyGate(CpuWorkScheduler scheduler, PrivateKeyThreads threads) : IPrivateKeyGate
{
    /// <summary>The scheduler, for gauges and tests.</summary>
    public CpuWorkScheduler Scheduler { get; } = scheduler ?? throw new ArgumentNullException(nameof(scheduler));

    /// <inheritdoc />
    public ServiceBusyException? RefusalNow(string requester) =>
        Scheduler.RefusalFor(new CpuWork(WorkLane.Request, requester, PrivateKeyCost.Of(KeySize.Rsa2048), PrivateKeyCost.WorkKind));

    /// <inheritdoc />
    public async ValueTask<T> RunAsync<T>(KeySize size, string requester, Func<T> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var lease = await Scheduler.AcquireAsync(new CpuWork(WorkLane.Request, requester, PrivateKeyCost.Of(size), PrivateKeyCost.WorkKind), cancellationToken).ConfigureAwait(false);
        // One thread per slot, so the holder of a slot never waits for a thread.
        return await threads.RunAsync(operation).ConfigureAwait(false);
    }
}
