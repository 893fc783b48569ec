namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>A slot held for one piece of work; disposing it frees the slot for the next waiter.</summary>
public sealed class CpuLease : IDisposable
{
    private readonly CpuWorkScheduler _scheduler;
    private int _released;

    internal CpuLease(CpuWorkScheduler scheduler, CpuWork work, long startedAt)
    {
        _scheduler = scheduler;
        Work = work;
        StartedAt = startedAt;
    }

    /// <summary>The work the slot is held for.</summary>
    public CpuWork Work { get; }

    /// <summary>TimeProvider timestamp of the start: the scheduler learns its pace from how long slots are held.</summary>
    internal long StartedAt { get; }

    /// <summary>Frees the slot (once, however often it is called).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _scheduler.Release(this);
        }
    }
}
