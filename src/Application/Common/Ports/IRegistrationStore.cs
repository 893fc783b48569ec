using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>
/// What email ownership keeps in the store beside the identities themselves: the per-address mail
/// count (in the store so that the limit holds however many nodes share it) and the pending
/// registrations whose time ran out. Every adapter passes the same contract suite.
/// </summary>
public interface IRegistrationStore
{
    /// <summary>
    /// Counts one mail to <paramref name="address"/> if fewer than <paramref name="perHour"/> went there in
    /// the hour window that holds <paramref name="now"/> (a window opens with its first mail), atomically
    /// across nodes. Null when counted; otherwise how long until the window closes, and nothing was counted.
    /// </summary>
    Task<TimeSpan?> TryCountMailAsync(EmailAddress address, DateTimeOffset now, int perHour, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> pending registrations whose expiry is at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<Guid>> FindExpiredPendingAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}
