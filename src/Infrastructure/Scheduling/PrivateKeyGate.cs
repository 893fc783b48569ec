using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>
/// The service's <see cref="IPrivateKeyGate"/>: a <see cref="CpuWorkScheduler"/> of its own (slots
/// and queue from <c>Load:*</c>), not key generation's, so a millisecond decryption never waits
/// behind a second-long generation, and each kind of work keeps its own bound.
/// </summary>
public sealed class PrivateKeyGate(CpuWorkScheduler scheduler) : IPrivateKeyGate
{
    /// <summary>The scheduler, for gauges and tests.</summary>
    public CpuWorkScheduler Scheduler { get; } = scheduler ?? throw new ArgumentNullException(nameof(scheduler));

    /// <inheritdoc />
    public async ValueTask<IDisposable> EnterAsync(KeySize size, string requester, CancellationToken cancellationToken) =>
        await Scheduler.AcquireAsync(new CpuWork(WorkLane.Request, requester, PrivateKeyCost.Of(size), PrivateKeyCost.WorkKind), cancellationToken).ConfigureAwait(false);
}
