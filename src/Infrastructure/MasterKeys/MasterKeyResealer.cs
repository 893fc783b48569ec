using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.MasterKeys;

/// <summary>
/// With previous master keys configured, moves every sealed private key to the current master key
/// while the server runs: one identity per transaction, saved against the revision it read
/// (<see cref="OptimisticConcurrency.ChangeAsync"/>), so a rotation or a configuration change made
/// meanwhile is never lost: the re-seal is applied again to the state that won. Nothing is kept
/// in memory between identities, so after a crash (even <c>kill -9</c>) the next start simply asks
/// the store again what is still under an old key and goes on from there.
/// </summary>
public sealed partial class MasterKeyResealer(
    IKeyStoreAdmin admin,
    IKeyStore store,
    AesGcmKeyProtector protector,
    MasterKeyRing masterKeys,
    KeyStoreReadiness readiness,
    MasterKeyRotationOptions options,
    TimeProvider time,
    ILogger<MasterKeyResealer> logger) : BackgroundService
{
    private static readonly TimeSpan ReadinessPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (masterKeys.Previous.Count == 0)
        {
            return;
        }

        try
        {
            while (!readiness.IsInitialized)
            {
                await Task.Delay(ReadinessPoll, time, stoppingToken).ConfigureAwait(false);
            }

            var backoff = TimeSpan.FromSeconds(1);
            while (true)
            {
                try
                {
                    var (resealed, failed) = await PassAsync(stoppingToken).ConfigureAwait(false);
                    if (failed == 0)
                    {
                        LogComplete(logger, masterKeys.Current.Id, resealed);
                    }
                    else
                    {
                        LogIncomplete(logger, failed, masterKeys.Current.Id);
                    }

                    return;
                }
                catch (StoreUnavailableException ex)
                {
                    // A full disk or a store away: nothing was half-written (each identity is one transaction); try again later.
                    LogStoreUnavailable(logger, ex.Message, backoff.TotalSeconds);
                    await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, backoff.TotalSeconds * 2));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever is left is found again at the next start.
        }
    }

    /// <summary>
    /// One pass over the identities with a key under an old master key, in address order, a batch
    /// at a time; returns how many identities it re-sealed and how many it could not (a key that
    /// no longer opens: those stay where they are and the status route shows it).
    /// </summary>
    internal async Task<(int Resealed, int Failed)> PassAsync(CancellationToken cancellationToken)
    {
        var current = masterKeys.Current.Id;
        string? after = null;
        var resealed = 0;
        var failed = 0;
        while (true)
        {
            var batch = await admin.FindSealedByOtherThanAsync(current, after, options.BatchSize, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return (resealed, failed);
            }

            foreach (var email in batch)
            {
                try
                {
                    if (await ResealAsync(email, cancellationToken).ConfigureAwait(false))
                    {
                        resealed++;
                    }
                }
                catch (KeyIntegrityException)
                {
                    failed++;
                    LogUnopenable(logger);
                }
                catch (IdentityNotFoundException)
                {
                    // Deleted meanwhile: nothing left to move.
                }
            }

            after = batch[^1];
            LogProgress(logger, resealed, current);
            if (options.Pause > TimeSpan.Zero)
            {
                await Task.Delay(options.Pause, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> ResealAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var identity = await store.FindAsync(EmailAddress.FromStore(normalizedEmail), cancellationToken).ConfigureAwait(false);
        if (identity is null || identity.Keys.Versions.All(v => protector.IsCurrent(v.SealedPrivateKey) && (v.SigningKey is null || protector.IsCurrent(v.SigningKey.SealedPrivateKey))))
        {
            return false;
        }

        await store.ChangeAsync(identity, state => new IdentityChange(state.Reseal(Resealed(state)), []), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private KeyVersion[] Resealed(Identity identity) =>
        identity.Keys.Versions.Select(version =>
        {
            var sealedKey = protector.IsCurrent(version.SealedPrivateKey)
                ? version.SealedPrivateKey
                : protector.Reseal(version.SealedPrivateKey, KeyBinding.For(identity, version.Version));
            var signingKey = version.SigningKey is { } signing && !protector.IsCurrent(signing.SealedPrivateKey)
                ? signing with { SealedPrivateKey = protector.Reseal(signing.SealedPrivateKey, KeyBinding.ForSigning(identity, version.Version)) }
                : version.SigningKey;
            return version with { SealedPrivateKey = sealedKey, SigningKey = signingKey };
        }).ToArray();

    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Master key rotation: {Resealed} identities re-sealed so far under master key {KeyId}.")]
    private static partial void LogProgress(ILogger logger, int resealed, string keyId);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message =
        "Master key rotation complete: every sealed key is under master key {KeyId} ({Resealed} identities re-sealed by this run). The previous master keys can be removed from the configuration.")]
    private static partial void LogComplete(ILogger logger, string keyId, int resealed);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Error, Message =
        "Master key rotation incomplete: {Failed} identities have a sealed key that does not open under the master key it names; they stay under it. Keep the previous keys configured; GET /api/v1/admin/master-key shows what is left under {KeyId}'s predecessors.")]
    private static partial void LogIncomplete(ILogger logger, int failed, string keyId);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Error, Message = "Master key rotation: a sealed key did not open under the master key it names (altered in the store?); it was left as it is.")]
    private static partial void LogUnopenable(ILogger logger);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Warning, Message = "Master key rotation paused: the key store is unavailable ({Reason}); retrying in {Seconds} s.")]
    private static partial void LogStoreUnavailable(ILogger logger, string reason, double seconds);
}
