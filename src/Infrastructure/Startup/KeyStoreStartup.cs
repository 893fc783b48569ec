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
    MasterKey masterKey,
    KeyStoreReadiness readiness,
    IHostApplicationLifetime lifetime,
    ILogger<KeyStoreStartup> logger) : IHostedService, IDisposable
{
    internal const string WrongMasterKeyMessage =
        "The configured master key is not the one this key store was created with, so it cannot open the stored private keys. " +
        "Set Security:MasterKey or Security:MasterKeyFile to the store's original master key.";

    private readonly CancellationTokenSource _stopping = new();
    private Task? _retrying;

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
        if (_retrying is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _retrying.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var stored = await store.EnsureMasterKeyCheckAsync(masterKey.CheckValue, cancellationToken).ConfigureAwait(false);
        if (!masterKey.Matches(stored))
        {
            throw new StartupConfigurationException(WrongMasterKeyMessage);
        }

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

    [LoggerMessage(EventId = 2102, Level = LogLevel.Critical, Message = "{Reason} Stopping.")]
    private static partial void LogFatal(ILogger logger, string reason);
}
