using CryptoSecure.Application.Common.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.Limits;

/// <summary>Applies <see cref="ConnectionLimitsOptions"/> to Kestrel.</summary>
public static class ConnectionLimitsSetup
{
    /// <summary>Kestrel's timeouts, data rates and connection limit, and the per-client share on every endpoint.</summary>
    public static IServiceCollection AddCryptoSecureConnectionLimits(this IServiceCollection services)
    {
        services.AddCheckedOptions<ConnectionLimitsOptions>(ConnectionLimitsOptions.SectionName);
        services.AddSingleton<ClientConnectionLimit>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ConnectionLimitsOptions>, ClientConnectionLimit>((kestrel, options, perClient) =>
        {
            var settings = options.Value;
            var limits = kestrel.Limits;
            var grace = TimeSpan.FromSeconds(settings.DataRateGraceSeconds);
            limits.RequestHeadersTimeout = TimeSpan.FromSeconds(settings.HeadersTimeoutSeconds);
            limits.KeepAliveTimeout = TimeSpan.FromSeconds(settings.KeepAliveTimeoutSeconds);
            limits.MinRequestBodyDataRate = settings.MinRequestBodyBytesPerSecond == 0 ? null : new MinDataRate(settings.MinRequestBodyBytesPerSecond, grace);
            limits.MinResponseDataRate = settings.MinResponseBytesPerSecond == 0 ? null : new MinDataRate(settings.MinResponseBytesPerSecond, grace);
            limits.MaxConcurrentConnections = settings.MaxConnections == 0 ? null : settings.MaxConnections;
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection => perClient.OnConnectionAsync(connection, next)));
        });
        return services;
    }
}
