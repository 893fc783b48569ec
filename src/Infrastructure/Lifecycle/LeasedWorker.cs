using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Lifecycle;

/// <summary>Who this node is, as a lease holder: unique per process, so two nodes on one machine differ.</summary>
public sealed class LeaseHolder
{
    /// <summary>The holder id stored in leases: machine, process and a random part (never a secret).</summary>
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
}

/// <summary>
/// A piece of background work done every <see cref="Interval"/> by exactly one node of those that
/// share the store: before each run the node takes (or renews) the store lease
/// <see cref="LeaseName"/>, and runs only while it holds it. The lease lasts three intervals, so a
/// node that dies is replaced within that; a node that stops cleanly gives it up at once. What
/// the work does is decided by the store's state alone (the schedule is stored), so it carries on
/// across restarts and whichever node takes over. Failures are logged, never thrown: no failure
/// of the work may stop the host.
/// </summary>
public sealed partial class LeasedWorker : BackgroundService
{
    private readonly Func<CancellationToken, Task<int>> _work;
    private readonly IWorkLeases _leases;
    private readonly LeaseHolder _holder;
    private readonly KeyStoreReadiness _readiness;
    private readonly TimeProvider _time;
    private readonly ILogger<LeasedWorker> _logger;
    private bool _holding;
    private bool _failing;

    /// <summary>A worker running <paramref name="work"/> (which returns how many items it handled) under lease <paramref name="leaseName"/>.</summary>
    public LeasedWorker(
        string leaseName, TimeSpan interval, Func<CancellationToken, Task<int>> work,
        IWorkLeases leases, LeaseHolder holder, KeyStoreReadiness readiness, TimeProvider time, ILogger<LeasedWorker> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseName);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        LeaseName = leaseName;
        Interval = interval;
        _work = work;
        _leases = leases;
        _holder = holder;
        _readiness = readiness;
        _time = time;
        _logger = logger;
    }

    /// <summary>The lease's name in the store.</summary>
    public string LeaseName { get; }

    /// <summary>How often the node checks.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How long a taken lease lasts without renewal.</summary>
    public TimeSpan LeaseDuration => Interval * 3;

    /// <summary>Whether this node held the lease at its last check.</summary>
    public bool Holding => _holding;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Interval, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_holding)
        {
            try
            {
                await _leases.ReleaseAsync(LeaseName, _holder.Id, cancellationToken).ConfigureAwait(false);
                _holding = false;
            }
            catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException or ObjectDisposedException)
            {
                // The lease expires by itself.
            }
        }
    }

    /// <summary>One check: take or renew the lease, and run the work if this node holds it.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!_readiness.IsInitialized)
        {
            return;
        }

        try
        {
            _holding = await _leases.TryAcquireAsync(LeaseName, _holder.Id, _time.GetUtcNow(), LeaseDuration, cancellationToken).ConfigureAwait(false);
            if (_holding)
            {
                var done = await _work(cancellationToken).ConfigureAwait(false);
                if (done > 0)
                {
                    LogDone(_logger, LeaseName, done);
                }
            }

            if (_failing)
            {
                _failing = false;
                LogRecovered(_logger, LeaseName);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Logged once per outage. The store's failures carry a message written for logs; of
            // anything else only the type, so no detail of an identity can reach the log.
            if (!_failing)
            {
                _failing = true;
                LogFailing(_logger, LeaseName, ex is StoreUnavailableException ? ex.Message : ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 2700, Level = LogLevel.Information, Message = "Background work {Lease}: {Count} done")]
    private static partial void LogDone(ILogger logger, string lease, int count);

    [LoggerMessage(EventId = 2701, Level = LogLevel.Warning, Message = "Background work {Lease} failed, retried every interval: {Reason}")]
    private static partial void LogFailing(ILogger logger, string lease, string reason);

    [LoggerMessage(EventId = 2702, Level = LogLevel.Information, Message = "Background work {Lease} works again")]
    private static partial void LogRecovered(ILogger logger, string lease);
}
