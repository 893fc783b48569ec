using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Scheduling;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Infrastructure.KeyGeneration;

/// <summary>Per-size figures for health data and benchmarks.</summary>
/// <param name="Size">Key size.</param>
/// <param name="Available">Keys ready now.</param>
/// <param name="Target">Keys the pool keeps.</param>
/// <param name="Generated">Keys generated since start.</param>
/// <param name="AverageGenerationMs">Mean generation time, 0 before the first.</param>
/// <param name="TakenFromPool">Keys handed out from the pool.</param>
/// <param name="GeneratedOnDemand">Keys generated for and handed to a caller because the pool was empty.</param>
public sealed record KeyPoolStatus(KeySize Size, int Available, int Target, long Generated, double AverageGenerationMs, long TakenFromPool, long GeneratedOnDemand);

/// <summary>
/// The service's <see cref="IRsaKeyFactory"/>: hands out a pre-generated key pair when the pool
/// of that size has one, without waiting for anything, and otherwise generates one under the
/// <see cref="CpuWorkScheduler"/>: at most <c>Keys:MaxConcurrentGenerations</c> at once, queued
/// by cost and shared fairly between clients, refused with 503 past the queue and wait bounds.
/// The refill runs in the scheduler's background lane, with a share of its own. Pooled keys live
/// only in this process's memory, are handed out once, and are wiped on shutdown.
/// </summary>
public sealed class KeyPool : IRsaKeyFactory, IDisposable
{
    /// <summary>The requester the refill's generations are counted as (in a lane of their own).</summary>
    internal const string PoolRequester = "key-pool";

    private readonly Dictionary<KeySize, Channel<RsaKeyPair>> _pools = [];
    private readonly Dictionary<KeySize, int> _targets;
    private readonly ConcurrentDictionary<KeySize, int> _inFlight = new();
    private readonly ConcurrentDictionary<KeySize, (long Count, double TotalMs)> _stats = new();
    private readonly ConcurrentDictionary<KeySize, (long FromPool, long OnDemand)> _takes = new();
    private readonly CpuWorkScheduler _scheduler;
    private readonly IRsaKeyGenerator _generator;
    private readonly KeyGenerationMetrics _metrics;
    private readonly SemaphoreSlim _refillSignal = new(0);
    private bool _disposed;

    /// <summary>Creates the pool (empty; <see cref="KeyPoolRefiller"/> fills it).</summary>
    public KeyPool(IOptions<KeyGenerationOptions> options, CpuWorkScheduler scheduler, IRsaKeyGenerator generator, KeyGenerationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(metrics);
        var settings = options.Value;
        _scheduler = scheduler;
        _generator = generator;
        _metrics = metrics;
        _targets = KeySize.All.ToDictionary(s => s, s => settings.PoolTargets.GetValueOrDefault(s));
        foreach (var size in KeySize.All)
        {
            _pools[size] = Channel.CreateBounded<RsaKeyPair>(new BoundedChannelOptions(Math.Max(1, _targets[size])) { FullMode = BoundedChannelFullMode.Wait });
        }

        PoolParallelism = settings.PoolParallelism;
        metrics.Meter.CreateObservableGauge(
            "cryptosecure.keypool.available",
            () => KeySize.All.Select(s => new Measurement<int>(_pools[s].Reader.Count, new KeyValuePair<string, object?>("key_size", s.Bits))),
            "{key}",
            "Pre-generated keys ready, by size.");
    }

    /// <summary>How many refills run at once.</summary>
    public int PoolParallelism { get; }

    /// <inheritdoc />
    public async ValueTask<RsaKeyPair> CreateAsync(KeySize size, string requester, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(requester);
        if (_pools[size].Reader.TryRead(out var pooled))
        {
            CountTake(size, fromPool: true);
            _refillSignal.Release();
            return pooled;
        }

        var pair = await GenerateAsync(size, WorkLane.Request, requester, cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            // The caller left while its key was being generated. Nobody has seen the key, so the
            // pool may keep it rather than waste the work.
            if (_disposed || !_pools[size].Writer.TryWrite(pair))
            {
                pair.Dispose();
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        CountTake(size, fromPool: false);
        return pair;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RsaKeyPair>> CreateManyAsync(KeySize size, int count, string requester, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(requester);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var pairs = new List<RsaKeyPair>(count);
        while (pairs.Count < count && _pools[size].Reader.TryRead(out var pooled))
        {
            pairs.Add(pooled);
            _refillSignal.Release();
        }

        var fromPool = pairs.Count;
        try
        {
            if (pairs.Count < count)
            {
                pairs.AddRange(await GenerateManyAsync(size, count - pairs.Count, requester, cancellationToken).ConfigureAwait(false));
            }

            // The caller left while its keys were being made: nobody has seen them, the pool may keep them.
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch
        {
            KeepOrWipe(size, pairs);
            throw;
        }

        for (var i = 0; i < pairs.Count; i++)
        {
            CountTake(size, fromPool: i < fromPool);
        }

        return pairs;
    }

    /// <summary>Figures per size.</summary>
    public IReadOnlyList<KeyPoolStatus> Status() => KeySize.All
        .Select(s =>
        {
            var (count, total) = _stats.GetValueOrDefault(s);
            var (fromPool, onDemand) = _takes.GetValueOrDefault(s);
            return new KeyPoolStatus(s, _pools[s].Reader.Count, _targets[s], count, count == 0 ? 0 : total / count, fromPool, onDemand);
        })
        .ToArray();

    /// <summary>
    /// One refill worker: tops up the size furthest below its target, one key at a time, in the
    /// scheduler's background lane; sleeps until a key is taken when every pool is full.
    /// </summary>
    internal async Task RefillAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var size = ClaimDeficit();
            if (size is null)
            {
                await _refillSignal.WaitAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                var pair = await GenerateAsync(size.Value, WorkLane.Background, PoolRequester, stoppingToken).ConfigureAwait(false);
                if (!_pools[size.Value].Writer.TryWrite(pair))
                {
                    pair.Dispose();
                }
            }
            finally
            {
                _inFlight.AddOrUpdate(size.Value, 0, (_, n) => n - 1);
            }
        }
    }

    private void CountTake(KeySize size, bool fromPool)
    {
        _takes.AddOrUpdate(size, fromPool ? (1, 0) : (0, 1), (_, t) => fromPool ? (t.FromPool + 1, t.OnDemand) : (t.FromPool, t.OnDemand + 1));
        _metrics.Taken(size, fromPool);
    }

    private KeySize? ClaimDeficit()
    {
        lock (_inFlight)
        {
            KeySize? best = null;
            var bestMissing = 0;
            foreach (var size in KeySize.All)
            {
                var missing = _targets[size] - _pools[size].Reader.Count - _inFlight.GetValueOrDefault(size);
                if (missing > bestMissing)
                {
                    best = size;
                    bestMissing = missing;
                }
            }

            if (best is { } claimed)
            {
                _inFlight.AddOrUpdate(claimed, 1, (_, n) => n + 1);
            }

            return best;
        }
    }

    /// <summary>
    /// <paramref name="count"/> generations under one lease costed as all of them, so the scheduler's
    /// queue bound, fair shares and Retry-After see what the request really asks for.
    /// </summary>
    private async Task<IReadOnlyList<RsaKeyPair>> GenerateManyAsync(KeySize size, int count, string requester, CancellationToken cancellationToken)
    {
        var work = new CpuWork(WorkLane.Request, requester, KeyGenerationCost.Of(size) * count, KeyGenerationCost.WorkKind);
        using var lease = await _scheduler.AcquireAsync(work, cancellationToken).ConfigureAwait(false);
        var pairs = new List<RsaKeyPair>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                // Granted just as the caller left, or it left between two: stop generating.
                cancellationToken.ThrowIfCancellationRequested();
                pairs.Add(await GenerateNowAsync(size, WorkLane.Request).ConfigureAwait(false));
            }
        }
        catch
        {
            KeepOrWipe(size, pairs);
            throw;
        }

        return pairs;
    }

    private void KeepOrWipe(KeySize size, List<RsaKeyPair> pairs)
    {
        foreach (var pair in pairs)
        {
            if (_disposed || !_pools[size].Writer.TryWrite(pair))
            {
                pair.Dispose();
            }
        }

        pairs.Clear();
    }

    private async Task<RsaKeyPair> GenerateNowAsync(KeySize size, WorkLane lane)
    {
        var started = Stopwatch.GetTimestamp();
        var pair = await _generator.GenerateAsync(size).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _stats.AddOrUpdate(size, (1, elapsed), (_, s) => (s.Count + 1, s.TotalMs + elapsed));
        _metrics.Generated(size, lane, elapsed);
        return pair;
    }

    private async Task<RsaKeyPair> GenerateAsync(KeySize size, WorkLane lane, string requester, CancellationToken cancellationToken)
    {
        var work = new CpuWork(lane, requester, KeyGenerationCost.Of(size), KeyGenerationCost.WorkKind);
        using var lease = await _scheduler.AcquireAsync(work, cancellationToken).ConfigureAwait(false);

        // Granted just as the caller left: give the slot back without generating.
        cancellationToken.ThrowIfCancellationRequested();
        return await GenerateNowAsync(size, lane).ConfigureAwait(false);
    }

    /// <summary>Wipes every pooled key.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var pool in _pools.Values)
        {
            pool.Writer.TryComplete();
            while (pool.Reader.TryRead(out var pair))
            {
                pair.Dispose();
            }
        }

        _refillSignal.Dispose();
    }
}
