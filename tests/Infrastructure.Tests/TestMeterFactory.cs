using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CryptoSecure.Infrastructure.Tests;

/// <summary>An <see cref="IMeterFactory"/> that makes plain meters and disposes them with itself.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly ConcurrentBag<Meter> _created = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _created.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _created)
        {
            meter.Dispose();
        }
    }
}
