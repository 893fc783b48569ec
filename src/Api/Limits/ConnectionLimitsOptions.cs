using System.ComponentModel.DataAnnotations;

namespace CryptoSecure.Api.Limits;

/// <summary>
/// Limits that keep slow or greedy clients from holding the server's connections (section
/// "Load:Connections"). Kestrel enforces the timeouts and rates; <see cref="ClientConnectionLimit"/>
/// the share of one client address.
/// </summary>
public sealed class ConnectionLimitsOptions
{
    public const string SectionName = "Load:Connections";

    /// <summary>
    /// Seconds a client has to send a request's headers (Kestrel's RequestHeadersTimeout); default 10.
    /// A client trickling headers (slowloris) is cut off after this, instead of holding its connection
    /// for as long as it keeps sending a byte now and then.
    /// </summary>
    [Range(1, 300)]
    public int HeadersTimeoutSeconds { get; set; } = 10;

    /// <summary>Seconds an idle kept-alive connection stays open (Kestrel's KeepAliveTimeout); default 30.</summary>
    [Range(1, 3600)]
    public int KeepAliveTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Slowest request body accepted, in bytes per second averaged after the grace period
    /// (Kestrel's MinRequestBodyDataRate); default 240, Kestrel's own. 0 switches the check off.
    /// </summary>
    [Range(0, 1_000_000_000)]
    public int MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>
    /// Slowest a client may read a response, in bytes per second after the grace period (Kestrel's
    /// MinResponseDataRate); default 240. 0 switches the check off.
    /// </summary>
    [Range(0, 1_000_000_000)]
    public int MinResponseBytesPerSecond { get; set; } = 240;

    /// <summary>Seconds of grace before the data rates are enforced (a slow start is normal); default 5, at least 2 (Kestrel's minimum).</summary>
    [Range(2, 300)]
    public int DataRateGraceSeconds { get; set; } = 5;

    /// <summary>Most open connections, all clients together (Kestrel's MaxConcurrentConnections); default 4096, 0 for no limit.</summary>
    [Range(0, 1_000_000)]
    public int MaxConnections { get; set; } = 4096;

    /// <summary>
    /// Most open connections from one client address (IPv6 by its /64, as the rate limiter counts
    /// clients); default 256, 0 for no limit. Past it, the client's new connections are closed at
    /// once, so one client's slow or idle connections cannot take every connection the server has.
    /// Behind a reverse proxy every connection comes from the proxy: set 0 there and let the proxy
    /// limit its clients.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxConnectionsPerClient { get; set; } = 256;
}
