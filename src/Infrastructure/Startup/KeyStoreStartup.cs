using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Startup;

/// <summary>Whether the key store has been set up and its master key verified.</summary>
public sealed class KeyStoreReadiness
{
    private volatile bool _initialized;

    /// <summary>True once the schema exists and the master key matched the stored check value.</summary>
    public bool IsInitialized => _initialized;

    /// <summary>
    /// Why the configuration was refused by a check that had to wait for a remote store and so ran
    /// after the server had started; the host reports it when it has stopped.
    /// </summary>
    public StartupConfigurationException? Refusal { get; private set; }

    internal void MarkInitialized() => _initialized = true;

    internal void Refuse(StartupConfigurationException refusal) => Refusal = refusal;
}

/// <summary>
/// At start: creates the store's schema and compares the master key with the stored check value,
/// refusing to start with a key that cannot open the stored private keys. A remote store that is
/// not reachable yet is retried in the background while the server runs and reports not-ready.
/// </summary>
public sealed partial class KeyStoreStartup(
    IKeyStoreAdmin store,
    MasterKeyRing masterKeys,
    KeyStoreReadiness readiness,
    IHostApplicationLifetime lifetime,
    ILogger<KeyStoreStartup> logger) : IHostedService, IDisposable
{
    internal const string WrongMasterKeyMessage =
        "The configured master key is not the one this key store was created with, so it cannot open the stored private keys. " +
        "Set Security:MasterKey or Security:MasterKeyFile to the store's original master key.";

    private readonly CancellationTokenSource _stopping = new();
    private Task? _retrying;
    private int _disposed;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex) when (store.RetriesWhenUnavailable)
        {
            LogWaiting(logger, ex.Message);
            _retrying = RetryAsync(_stopping.Token);
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_retrying is not { } retrying)
        {
            return;
        }

        try
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Disposed first (a host may dispose its services before stopping them): Dispose has
            // already cancelled the retries, so there is only their end to wait for.
        }

        await retrying.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the retries, if any are still waiting, and frees the token source.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    /// <summary>The refusal of a store whose check value (of a known key id) no configured key matches.</summary>
    internal static string CheckKeyMissingMessage(string needed, IEnumerable<string> configured) =>
        $"The configured master key is not the one this key store was created with or last rotated to (it needs master key id {needed}; configured: " +
        $"{string.Join(", ", configured)}), so it cannot open the stored private keys. Set Security:MasterKey to that key, or add it to " +
        "Security:PreviousMasterKeys (or Security:PreviousMasterKeyFiles) to rotate away from it; the store was left unchanged.";

    /// <summary>The refusal of a store that holds keys sealed under master keys none of the configured ones is.</summary>
    internal static string MissingKeysMessage(IEnumerable<string> needed, IEnumerable<string> configured) =>
        $"The key store holds private keys sealed under the master key id(s) {string.Join(", ", needed)}, which no configured master key has " +
        $"(configured: {string.Join(", ", configured)}). Add the key(s) with those ids to Security:PreviousMasterKeys or Security:PreviousMasterKeyFiles " +
        "(or set one as Security:MasterKey) and start again; the store was left unchanged.";

    /// <summary>
    /// Schema first, then the master keys: one configured key must be the key of the stored check
    /// value (a new store takes the current key's), and every sealed key must name a configured
    /// key, or the start is refused before anything is written. Then the store adopts the keys
    /// from before master-key ids as sealed by the check value's key, and the check value moves to
    /// the current key, in one transaction (ADR-021).
    /// </summary>
    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var current = masterKeys.Current;
        var stored = await store.EnsureMasterKeyCheckAsync(current.CheckValue, cancellationToken).ConfigureAwait(false);
        var checkKey = masterKeys.MatchingCheckValue(stored);
        if (checkKey is null)
        {
            var checkId = await store.ReadMasterKeyCheckIdAsync(cancellationToken).ConfigureAwait(false);
            throw new StartupConfigurationException(checkId is null ? WrongMasterKeyMessage : CheckKeyMissingMessage(checkId, masterKeys.Ids));
        }

        var counts = await store.CountSealedKeysAsync(cancellationToken).ConfigureAwait(false);
        var needed = counts.Select(c => c.MasterKeyId ?? checkKey.Id).Distinct(StringComparer.Ordinal).Where(id => masterKeys.Find(id) is null).Order(StringComparer.Ordinal).ToArray();
        if (needed.Length > 0)
        {
            throw new StartupConfigurationException(MissingKeysMessage(needed, masterKeys.Ids));
        }

        await store.AdoptMasterKeyAsync(checkKey.Id, current.CheckValue, current.Id, cancellationToken).ConfigureAwait(false);
        LogMasterKeys(logger, current.Id, masterKeys.Previous.Count);
        readiness.MarkInitialized();
    }

    private async Task RetryAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                await InitializeAsync(stoppingToken).ConfigureAwait(false);
                LogReady(logger);
                return;
            }
            catch (StoreUnavailableException ex)
            {
                LogWaiting(logger, ex.Message);
                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }
            catch (StartupConfigurationException ex)
            {
                readiness.Refuse(ex);
                LogFatal(logger, ex.Message);
                lifetime.StopApplication();
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Key store not reachable yet ({Reason}); retrying in the background, /health/ready reports not ready.")]
    private static partial void LogWaiting(ILogger logger, string reason);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Key store reachable and initialized.")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Master key {KeyId} is current; {PreviousCount} previous master key(s) configured.")]
    private static partial void LogMasterKeys(ILogger logger, string keyId, int previousCount);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Critical, Message = "{Reason} Stopping.")]
    private static partial void LogFatal(ILogger logger, string reason);
}
