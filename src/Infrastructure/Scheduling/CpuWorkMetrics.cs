using System.Diagnostics.Metrics;

namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>
/// The scheduler's instruments (meter "CryptoSecure.Work"): what waits, how long it waited and what
/// was turned away, tagged by lane ("request", "background") and kind of work ("key generation").
/// </summary>
public sealed class CpuWorkMetrics
{
    /// <summary>The meter's name, for OpenTelemetry's AddMeter.</summary>
    public const string MeterName = "CryptoSecure.Work";

    private readonly Histogram<double> _wait;
    private readonly Counter<long> _rejected;
    private readonly List<(CpuWorkScheduler Scheduler, KeyValuePair<string, object?> Work)> _watched = [];

    /// <summary>Creates the instruments.</summary>
    public CpuWorkMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _wait = Meter.CreateHistogram<double>(
            "cryptosecure.work.wait", "s", "Time from asking for a CPU slot to starting, being turned away or giving up, by outcome.");
        _rejected = Meter.CreateCounter<long>(
            "cryptosecure.work.rejected", "{request}", "Requests answered busy (503): queue_full, displaced (by a lighter client) or wait_exceeded.");
    }

    /// <summary>The meter.</summary>
    public Meter Meter { get; }

    /// <summary>
    /// Publishes the queue gauges of <paramref name="scheduler"/>, tagged "work" = <paramref name="work"/>:
    /// key generation and private-key operations each have a scheduler, and one set of gauges
    /// reports them all (a second set of instruments of the same names would be a conflict).
    /// </summary>
    internal void Watch(CpuWorkScheduler scheduler, string work)
    {
        lock (_watched)
        {
            _watched.Add((scheduler, new KeyValuePair<string, object?>("work", work)));
            if (_watched.Count > 1)
            {
                return;
            }
        }

        Meter.CreateObservableGauge<int>(
            "cryptosecure.work.queued",
            () => Observe(static (now, lane) => lane == WorkLane.Request ? now.QueuedRequests : now.QueuedBackground),
            "{work}",
            "Pieces of CPU-heavy work waiting for a slot, by lane.");
        Meter.CreateObservableGauge<double>(
            "cryptosecure.work.queued_cost",
            () => Observe(static (now, lane) => lane == WorkLane.Request ? now.QueuedRequestCost : now.QueuedBackgroundCost),
            "{cost}",
            "Cost waiting for a slot, by lane (one RSA-2048 key generation, or one RSA-2048 private-key operation, is 1).");
        Meter.CreateObservableGauge<int>(
            "cryptosecure.work.running",
            () =>
            {
                lock (_watched)
                {
                    return _watched.Select(w => new Measurement<int>(w.Scheduler.Snapshot().Running, w.Work)).ToArray();
                }
            },
            "{work}",
            "Pieces of CPU-heavy work holding a slot.");
    }

    internal void Started(CpuWork work, TimeSpan waited) => Waited(work, "started", waited);

    internal void Cancelled(CpuWork work, TimeSpan waited) => Waited(work, "cancelled", waited);

    internal void Rejected(CpuWork work, string reason, TimeSpan waited)
    {
        Waited(work, "rejected", waited);
        _rejected.Add(1, Lane(work.Lane), new("work", work.Kind), new("reason", reason));
    }

    private void Waited(CpuWork work, string outcome, TimeSpan waited) =>
        _wait.Record(waited.TotalSeconds, Lane(work.Lane), new("work", work.Kind), new("outcome", outcome));

    private Measurement<T>[] Observe<T>(Func<CpuWorkSnapshot, WorkLane, T> read)
        where T : struct
    {
        lock (_watched)
        {
            return _watched.SelectMany(w =>
            {
                var now = w.Scheduler.Snapshot();
                return (Measurement<T>[])[new(read(now, WorkLane.Request), Lane(WorkLane.Request), w.Work), new(read(now, WorkLane.Background), Lane(WorkLane.Background), w.Work)];
            }).ToArray();
        }
    }

    private static KeyValuePair<string, object?> Lane(WorkLane lane) => new("lane", lane == WorkLane.Request ? "request" : "background");
}
