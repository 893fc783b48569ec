using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>
/// The store's queries for the work the service does by itself: identities whose waiting period
/// has passed, and key rings whose automatic rotation is due. Both read indexed columns the
/// adapters keep beside each identity, so a check costs one indexed range read however many
/// identities the store holds. What they return is a hint: the service re-reads each identity
/// and acts only if the rule still holds on what it read.
/// </summary>
public interface IDueWork
{
    /// <summary>Up to <paramref name="limit"/> identities whose <see cref="Identity.DeletesAt"/> is at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<EmailAddress>> FindDueDeletionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> identities with automatic rotation on, no deletion pending,
    /// and <see cref="Identity.NextRotationAt"/> at or before <paramref name="now"/>, earliest first.
    /// </summary>
    Task<IReadOnlyList<EmailAddress>> FindDueRotationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}
