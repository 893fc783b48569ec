using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.Hosting;

/// <summary>
/// How long a stop (SIGTERM, Ctrl-C) waits for requests in flight (the top-level setting
/// "ShutdownTimeoutSeconds"). The generic host reads the same key by itself, but passes over a
/// value it cannot parse and keeps its default; here a bad value stops the start, naming the setting.
/// </summary>
public sealed class ShutdownOptions
{
    public const string SettingName = "ShutdownTimeoutSeconds";

    /// <summary>
    /// Seconds between SIGTERM and the forced end of requests still running. In that time the server
    /// accepts no new connection, lets each request in flight finish (each one's audit event is
    /// committed before its answer), then writes any queued audit group and closes the store.
    /// Keep it below the orchestrator's own grace period (Kubernetes: 30 s by default) minus the
    /// store's close. 0 ends requests in flight at once.
    /// </summary>
    [Range(0, 3600, ErrorMessage = SettingName + " must lie between 0 and 3600 (seconds).")]
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}

/// <summary>Registers <see cref="ShutdownOptions"/> and hands its timeout to the host.</summary>
public static class ShutdownSetup
{
    /// <summary>Binds and checks the setting at start, and makes it the host's shutdown timeout.</summary>
    public static IServiceCollection AddShutdownTimeout(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShutdownOptions>()
            .Bind(configuration) // the root: the setting is top-level, beside "Logging" and "Kestrel"
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.ShutdownTimeoutSeconds));
        return services;
    }
}
