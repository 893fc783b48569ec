using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Caching;

/// <summary>
/// Keeps <see cref="IdentityCache"/> coherent with changes made through other nodes: reads the
/// store's change feed after its cursor four times per coherence bound and evicts the identities
/// named there, one query per read however many identities the store holds. Each successful read
/// renews the cache's freshness; when reads fail for a whole bound, the cache stops serving until
/// one succeeds again, from the cursor it had, so nothing committed meanwhile is skipped. Once a
/// minute it also prunes the feed of entries older than an hour; a node whose cursor fell behind
/// the pruned range (asleep, partitioned) clears its whole cache instead.
/// </summary>
public sealed partial class IdentityCacheCoherence : BackgroundService
{
    /// <summary>How long feed entries are kept: far longer than any healthy node lags.</summary>
    internal static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    internal const int BatchSize = 1000;

    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    private readonly IIdentityChangeFeed _feed;
    private readonly IdentityCache _cache;
    private readonly KeyStoreReadiness _readiness;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger<IdentityCacheCoherence> _logger;
    private long? _cursor;
    private long _lastPrune;
    private bool _failing;

    public IdentityCacheCoherence(IIdentityChangeFeed feed, IdentityCache cache, CacheOptions options, KeyStoreReadiness readiness, TimeProvider time, ILogger<IdentityCacheCoherence> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _feed = feed;
        _cache = cache;
        _readiness = readiness;
        _time = time;
        _logger = logger;
        _interval = options.Coherence / 4;
        _lastPrune = time.GetTimestamp();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await PollOnceAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(_interval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One read of the feed, the evictions it calls for, and a prune when one is due; failures are logged, not thrown.</summary>
    internal async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        if (!_readiness.IsInitialized)
        {
            return; // no schema yet (or a remote store still coming): the cache stays unused
        }

        var started = _time.GetTimestamp();
        try
        {
            if (_cursor is not { } cursor)
            {
                // Nothing is held before the first read, so nothing before it needs evicting.
                _cursor = await _feed.LatestAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                IdentityChangeBatch batch;
                do
                {
                    batch = await _feed.ReadAfterAsync(cursor, BatchSize, cancellationToken).ConfigureAwait(false);
                    if (batch.Missed)
                    {
                        _cache.Clear();
                        LogMissed(_logger);
                    }
                    else
                    {
                        _cache.EvictChanged(batch.IdentityIds);
                    }

                    cursor = batch.Cursor;
                    _cursor = cursor;
                }
                while (batch.IdentityIds.Count == BatchSize);
            }

            _cache.MarkFresh(started);
            if (_failing)
            {
                _failing = false;
                LogRecovered(_logger);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Logged once per outage, not four times a second; the cache stops serving by itself,
            // so no failure here (not even a bug) may stop the host. The store's own failures
            // carry a message written for logs; of anything else only the type is logged.
            if (!_failing)
            {
                _failing = true;
                LogFailing(_logger, ex is StoreUnavailableException ? ex.Message : ex.GetType().Name);
            }

            return;
        }

        await PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        if (_time.GetElapsedTime(_lastPrune) < PruneInterval)
        {
            return;
        }

        _lastPrune = _time.GetTimestamp();
        try
        {
            await _feed.PruneAsync(_time.GetUtcNow() - Retention, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Every node prunes; the next one, or the next minute, will do.
            LogPruneFailed(_logger, ex is StoreUnavailableException ? ex.Message : ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Warning, Message = "Cannot read the identity change feed ({Reason}); the identity cache is bypassed until it can")]
    private static partial void LogFailing(ILogger logger, string reason);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "The identity change feed is readable again; the identity cache serves again")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "The identity change feed was pruned past this node's cursor; the identity cache was cleared")]
    private static partial void LogMissed(ILogger logger);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Could not prune the identity change feed ({Reason})")]
    private static partial void LogPruneFailed(ILogger logger, string reason);
}
