using CryptoSecure.Infrastructure.KeyGeneration;
using CryptoSecure.Infrastructure.Scheduling;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CryptoSecure.Api.Telemetry;

/// <summary>
/// OpenTelemetry, wired once: the service's own meters (key pool and key generation; CPU work queues), ASP.NET Core
/// and runtime metrics, and request traces. Nothing leaves the process unless an OTLP endpoint is
/// configured (the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable, or
/// <c>OpenTelemetry:OtlpEndpoint</c>).
/// </summary>
public static class TelemetrySetup
{
    /// <summary>Registers OpenTelemetry; exports over OTLP only when an endpoint is configured.</summary>
    public static IServiceCollection AddCryptoSecureTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = configuration["OpenTelemetry:OtlpEndpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var export = !string.IsNullOrWhiteSpace(endpoint);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("cryptosecure"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(KeyGenerationMetrics.MeterName, CpuWorkMetrics.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation();
                if (export)
                {
                    metrics.AddOtlpExporter(otlp => otlp.Endpoint = new Uri(endpoint!));
                }
            })
            .WithTracing(tracing =>
            {
                // Request traces carry method, route and status; never bodies or headers.
                tracing.AddAspNetCoreInstrumentation(asp => asp.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal));
                if (export)
                {
                    tracing.AddOtlpExporter(otlp => otlp.Endpoint = new Uri(endpoint!));
                }
            });
        return services;
    }
}
