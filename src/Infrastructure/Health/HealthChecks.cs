using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.KeyGeneration;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CryptoSecure.Infrastructure.Health;

/// <summary>Ready when the key store is initialized and answers.</summary>
public sealed class KeyStoreHealthCheck(IKeyStoreAdmin store, KeyStoreReadiness readiness) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsInitialized)
        {
            return HealthCheckResult.Unhealthy("The key store has not been reached yet.");
        }

        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The key store answers.");
        }
        catch (StoreUnavailableException)
        {
            return HealthCheckResult.Unhealthy("The key store does not answer.");
        }
    }
}

/// <summary>Always healthy (an empty pool only slows registration); reports the pool's figures.</summary>
public sealed class KeyPoolHealthCheck(KeyPool pool) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        foreach (var status in pool.Status())
        {
            data[$"rsa{status.Size.Bits}"] = new Dictionary<string, object>
            {
                ["available"] = status.Available,
                ["target"] = status.Target,
                ["generated"] = status.Generated,
                ["averageGenerationMs"] = Math.Round(status.AverageGenerationMs, 1),
                ["takenFromPool"] = status.TakenFromPool,
                ["generatedOnDemand"] = status.GeneratedOnDemand,
            };
        }

        return Task.FromResult(HealthCheckResult.Healthy("Key pool status.", data));
    }
}
