using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Keys.Common;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Application.Lifecycle;

/// <summary>
/// Rotates every key ring whose latest version has reached its identity's automatic rotation
/// period: one new version (the latest version's key size), from the key pool and generator like an
/// owner's rotation and under their limits, audited as a rotation by the service. Once per period:
/// the new version's creation time restarts the period, so a node that was down for several
/// periods rotates once, not once per missed period. Run by one node at a time (the lease).
/// </summary>
public sealed partial class RotateDueKeys(
    IKeyStore store,
    IDueWork dueWork,
    IRsaKeyFactory keyFactory,
    IKeyProtector protector,
    TimeProvider clock,
    ILogger<RotateDueKeys> logger)
{
    /// <summary>Identities read per query.</summary>
    public const int BatchSize = 100;

    /// <summary>Whose share of key generation the service's rotations count against (never a client's).</summary>
    public const string FairShareKey = "service:auto-rotation";

    /// <summary>Rotates the rings due now; returns how many were rotated. Stops early (for the next check) when key generation is saturated.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var rotated = 0;
        while (true)
        {
            var due = await dueWork.FindDueRotationsAsync(clock.GetUtcNow(), BatchSize, cancellationToken).ConfigureAwait(false);
            var thisBatch = 0;
            foreach (var email in due)
            {
                var identity = await store.FindAsync(email, cancellationToken).ConfigureAwait(false);
                if (identity is null || !identity.IsRotationDue(clock.GetUtcNow()))
                {
                    continue;
                }

                try
                {
                    if (await RotateAsync(identity, cancellationToken).ConfigureAwait(false))
                    {
                        thisBatch++;
                    }
                }
                catch (ServiceBusyException)
                {
                    // Clients' requests come first; what is left is still due at the next check.
                    LogGenerationBusy(logger);
                    return rotated + thisBatch;
                }
            }

            rotated += thisBatch;
            if (due.Count < BatchSize || thisBatch == 0)
            {
                return rotated;
            }
        }
    }

    private async Task<bool> RotateAsync(Identity identity, CancellationToken cancellationToken)
    {
        using var keyPairs = await VersionKeyPairs.CreateAsync(keyFactory, identity.Keys.Latest.Size, FairShareKey, cancellationToken).ConfigureAwait(false);
        try
        {
            var next = await store.ChangeAsync(
                identity,
                current =>
                {
                    // Re-checked on every attempt: an owner's rotation, a new period or a scheduled
                    // deletion that won the race makes this one unnecessary.
                    var now = clock.GetUtcNow();
                    if (!current.IsRotationDue(now))
                    {
                        throw new NoLongerDueException();
                    }

                    var number = current.Keys.NextVersion;
                    var rotatedState = current.Rotate(keyPairs.ToKeyVersion(protector, KeyBinding.For(current, number), now));
                    return new IdentityChange(rotatedState, [ServiceAudit.Event(current.Id, now, AuditAction.Rotated, number)]);
                },
                cancellationToken).ConfigureAwait(false);
            LogRotated(logger, next.Id, next.Keys.Latest.Version);
            return true;
        }
        catch (Exception ex) when (ex is NoLongerDueException or PendingDeletionException or IdentityNotFoundException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Identity {IdentityId} rotated automatically to key version {Version}")]
    private static partial void LogRotated(ILogger logger, Guid identityId, int version);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Automatic rotation paused until the next check: key generation is saturated")]
    private static partial void LogGenerationBusy(ILogger logger);

    private sealed class NoLongerDueException : Exception
    {
    }
}
