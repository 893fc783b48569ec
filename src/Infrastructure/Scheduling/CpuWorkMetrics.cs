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

    /// <summary>Publishes the queue gauges of <paramref name="scheduler"/>.</summary>
    internal void Watch(CpuWorkScheduler scheduler)
    {
        Meter.CreateObservableGauge<int>(
            "cryptosecure.work.queued",
            () =>
            {
                var now = scheduler.Snapshot();
                return (Measurement<int>[])[new Measurement<int>(now.QueuedRequests, Lane(WorkLane.Request)), new Measurement<int>(now.QueuedBackground, Lane(WorkLane.Background))];
            },
            "{work}",
            "Pieces of CPU-heavy work waiting for a slot, by lane.");
        Meter.CreateObservableGauge<double>(
            "cryptosecure.work.queued_cost",
            () =>
            {
                var now = scheduler.Snapshot();
                return (Measurement<double>[])[new Measurement<double>(now.QueuedRequestCost, Lane(WorkLane.Request)), new Measurement<double>(now.QueuedBackgroundCost, Lane(WorkLane.Background))];
            },
            "{cost}",
            "Cost waiting for a slot, by lane (one RSA-2048 key generation is 1).");
        Meter.CreateObservableGauge("cryptosecure.work.running", () => scheduler.Snapshot().Running, "{work}", "Pieces of CPU-heavy work holding a slot.");
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

    private static KeyValuePair<string, object?> Lane(WorkLane lane) => new("lane", lane == WorkLane.Request ? "request" : "background");
}
