using System.Diagnostics.Metrics;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Scheduling;

namespace CryptoSecure.Infrastructure.KeyGeneration;

/// <summary>Key generation and pool instruments (meter "CryptoSecure.Keys").</summary>
public sealed class KeyGenerationMetrics
{
    /// <summary>The meter's name, for OpenTelemetry's AddMeter.</summary>
    public const string MeterName = "CryptoSecure.Keys";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _takes;

    /// <summary>Creates the instruments.</summary>
    public KeyGenerationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _duration = Meter.CreateHistogram<double>("cryptosecure.keygen.duration", "ms", "Time to generate one RSA key pair.");
        _takes = Meter.CreateCounter<long>("cryptosecure.keypool.takes", "{key}", "Keys handed out, by whether the pool had one.");
    }

    /// <summary>The meter (also used for the pool-size gauge).</summary>
    public Meter Meter { get; }

    /// <summary>Records one generation.</summary>
    public void Generated(KeySize size, WorkLane lane, double milliseconds) =>
        _duration.Record(milliseconds, new("key_size", size.Bits), new("priority", lane == WorkLane.Request ? "request" : "pool"));

    /// <summary>Records one key handed out.</summary>
    public void Taken(KeySize size, bool fromPool) =>
        _takes.Add(1, new("key_size", size.Bits), new("source", fromPool ? "pool" : "generated"));
}
