using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.Scheduling;
using Microsoft.Extensions.Time.Testing;
using static CryptoSecure.Infrastructure.Tests.Scheduling.CpuWorkSchedulerTests;

namespace CryptoSecure.Infrastructure.Tests.Scheduling;

public sealed class CpuWorkMetricsTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly FakeTimeProvider _time = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public CpuWorkMetricsTests()
    {
        Metrics = new CpuWorkMetrics(_meters);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, Metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    private CpuWorkMetrics Metrics { get; }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task Queue_lengths_waits_and_rejections_are_measured_by_lane_and_reason()
    {
        var scheduler = new CpuWorkScheduler(new CpuWorkLimits(1, 8, TimeSpan.FromSeconds(5), 0.25), _time, Metrics);
        var holder = await scheduler.AcquireAsync(Request("holder"), default);
        var queued = scheduler.AcquireAsync(Request("a", 8), default);
        var refill = scheduler.AcquireAsync(Background(), default);
        await scheduler.Invoking(s => s.AcquireAsync(Request("a", 1), default)).Should().ThrowAsync<ServiceBusyException>();

        _listener.RecordObservableInstruments();
        _time.Advance(TimeSpan.FromSeconds(3));
        holder.Dispose(); // the refill's turn: it starts after 3 s
        _time.Advance(TimeSpan.FromSeconds(2)); // the request's wait bound is reached
        await queued.Invoking(t => t).Should().ThrowAsync<ServiceBusyException>();
        (await refill).Dispose();

        Gauge("cryptosecure.work.queued", "request").Should().Be(1);
        Gauge("cryptosecure.work.queued", "background").Should().Be(1);
        Gauge("cryptosecure.work.queued_cost", "request").Should().Be(8);
        Gauge("cryptosecure.work.running", null).Should().Be(1);
        Rejections().Should().BeEquivalentTo(["queue_full", "wait_exceeded"]);
        Waits().Should().ContainEquivalentOf(new { Lane = "background", Outcome = "started", Seconds = 3.0 })
            .And.ContainEquivalentOf(new { Lane = "request", Outcome = "rejected", Seconds = 5.0 })
            .And.ContainEquivalentOf(new { Lane = "request", Outcome = "started", Seconds = 0.0 });
    }

    [Fact]
    public async Task Two_schedulers_on_one_meter_report_their_gauges_apart_by_work()
    {
        var generation = new CpuWorkScheduler(new CpuWorkLimits(1, 8, TimeSpan.FromSeconds(5), 0.25), _time, Metrics, "key generation");
        var privateKeys = new CpuWorkScheduler(new CpuWorkLimits(2, 8, TimeSpan.FromSeconds(5), 0.5), _time, Metrics, "private-key operations");
        using var generating = await generation.AcquireAsync(Request("a"), default);
        using var first = await privateKeys.AcquireAsync(Request("b"), default);
        using var second = await privateKeys.AcquireAsync(Request("c"), default);
        var queued = privateKeys.AcquireAsync(Request("d", 3), default);

        _listener.RecordObservableInstruments();

        Gauges("cryptosecure.work.running").Should().BeEquivalentTo(new Dictionary<string, double> { ["key generation"] = 1, ["private-key operations"] = 2 });
        Gauges("cryptosecure.work.queued_cost", "request").Should().BeEquivalentTo(new Dictionary<string, double> { ["key generation"] = 0, ["private-key operations"] = 3 });
        first.Dispose();
        (await queued).Dispose();
    }

    private Dictionary<string, double> Gauges(string name, string? lane = null) =>
        _measurements.Where(m => m.Instrument == name && (lane is null || Equals(m.Tags.GetValueOrDefault("lane"), lane)))
            .ToDictionary(m => (string)m.Tags["work"]!, m => m.Value);

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, map));
    }

    private double Gauge(string name, string? lane) =>
        _measurements.First(m => m.Instrument == name && (lane is null || Equals(m.Tags.GetValueOrDefault("lane"), lane))).Value;

    private List<string> Rejections() =>
        [.. _measurements.Where(m => m.Instrument == "cryptosecure.work.rejected").Select(m => (string)m.Tags["reason"]!)];

    private List<object> Waits() =>
        [.. _measurements.Where(m => m.Instrument == "cryptosecure.work.wait")
            .Select(m => (object)new { Lane = (string)m.Tags["lane"]!, Outcome = (string)m.Tags["outcome"]!, Seconds = m.Value })];
}
