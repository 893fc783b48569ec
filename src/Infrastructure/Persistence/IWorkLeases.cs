namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>
/// Named leases in the store, so that of several nodes sharing it exactly one does a piece of
/// background work at a time (shredding due deletions, automatic rotation, and any later worker
/// that needs the same): a lease is a holder and an expiry, taken and renewed only by a
/// conditional write, so two nodes can never both believe they hold it. A holder that dies stops
/// renewing; another takes the lease once it expires.
/// </summary>
public interface IWorkLeases
{
    /// <summary>
    /// Takes or renews lease <paramref name="name"/> for <paramref name="holder"/> until
    /// <paramref name="now"/> + <paramref name="duration"/>: succeeds when nobody holds it, when
    /// <paramref name="holder"/> already does, or when the other holder's lease has expired at
    /// <paramref name="now"/>. False, and nothing written, when another holder's lease still runs.
    /// </summary>
    Task<bool> TryAcquireAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up at once if <paramref name="holder"/> holds it (a clean shutdown), so another node need not wait for it to expire.</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken);
}
