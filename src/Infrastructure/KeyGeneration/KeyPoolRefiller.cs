using Microsoft.Extensions.Hosting;

namespace CryptoSecure.Infrastructure.KeyGeneration;

/// <summary>Runs the pool's refill workers for the life of the host, and wipes the pool when it stops.</summary>
public sealed class KeyPoolRefiller(KeyPool pool) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, pool.PoolParallelism).Select(_ => pool.RefillAsync(stoppingToken));
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        pool.Dispose();
    }
}
