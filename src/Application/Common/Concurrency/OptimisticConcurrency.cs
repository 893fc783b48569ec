using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Concurrency;

/// <summary>
/// The one way a use case changes a stored identity: apply the change to the state it read, save
/// against that revision, and on a lost race re-read and apply the change again to the state that
/// won, so the change's rules are checked against what is really stored.
/// </summary>
public static class OptimisticConcurrency
{
    /// <summary>Concurrent changes to one identity are rare; past this many lost races the caller gets 409.</summary>
    public const int MaxAttempts = 16;

    /// <summary>
    /// Saves <paramref name="change"/> of <paramref name="loaded"/>, retrying on a lost race.
    /// <paramref name="change"/> runs once per attempt, on the state that attempt starts from, so
    /// anything that depends on that state (the next version number a key is sealed for, a bound
    /// checked against the ring) is worked out afresh; it must have no effect outside what it returns.
    /// </summary>
    /// <returns>The state as saved.</returns>
    /// <exception cref="ConcurrencyConflictException">Every attempt lost its race.</exception>
    /// <exception cref="PendingDeletionException">The identity's deletion is scheduled, and the change is not its cancellation.</exception>
    /// <exception cref="IdentityNotFoundException">The registration was deleted (or deleted and registered anew) meanwhile.</exception>
    public static async Task<Identity> ChangeAsync(this IKeyStore store, Identity loaded, Func<Identity, IdentityChange> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(change);
        var current = loaded;
        for (var attempt = 1; ; attempt++)
        {
            IdentityChange changed;
            try
            {
                changed = change(current);
            }
            catch (IdentityPendingDeletionException ex)
            {
                // Scheduled meanwhile (or before, on another node): every change but the cancellation waits for a restore.
                throw new PendingDeletionException(ex.DeletesAt);
            }

            var (next, auditEvents) = changed;
            try
            {
                await store.SaveAsync(next, current.Revision, auditEvents, cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // The address may now belong to a new registration: that one is not ours to change.
                var reread = await store.FindAsync(current.Email, cancellationToken).ConfigureAwait(false);
                current = reread is not null && reread.Id == current.Id ? reread : throw new IdentityNotFoundException();
            }
        }
    }
}
