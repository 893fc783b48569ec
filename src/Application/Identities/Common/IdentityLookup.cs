using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Identities.Common;

/// <summary>
/// Finds the identity a request names by address, as the caller may see it. Several pending
/// registrations may share an address, so the caller's API key decides which one is theirs: the
/// owner of a pending (or hidden) registration finds it by the key's identity id; everyone else
/// finds only the identity that holds the address, and only when it is visible (a pending
/// registration never is; a legacy one is not under <c>Registration:ExistingIdentities=RequireVerification</c>).
/// Whoever may not see an identity gets exactly what an unknown address gets: nothing.
/// <para>
/// The pending-deletion rule is applied here too, on top of the visibility rule, so that no
/// handler combines them by itself: <see cref="UsableAsync"/> for every operation on the keys
/// (409 <c>pending-deletion</c> to the owner or an admin, 404 to everyone else),
/// <see cref="ReadableAsync"/> for reading the state (the owner or an admin sees the scheduled
/// deletion, everyone else gets 404).
/// </para>
/// </summary>
public sealed class IdentityLookup(IKeyStore store, IRequestContext request, IOptions<RegistrationOptions> options, TimeProvider clock)
{
    /// <summary>The identity under <paramref name="email"/> the caller may see, or null.</summary>
    public async Task<Identity?> FindAsync(string email, CancellationToken cancellationToken)
    {
        var address = EmailAddress.Parse(email);
        var caller = request.Caller;
        var held = await store.FindAsync(address, cancellationToken).ConfigureAwait(false);
        if (caller.OwnedIdentityId is { } ownId && string.Equals(caller.OwnedEmail, address.Normalized, StringComparison.Ordinal))
        {
            var own = held?.Id == ownId ? held : await store.FindByIdAsync(ownId, cancellationToken).ConfigureAwait(false);
            return own is null || own.IsExpiredPending(clock.GetUtcNow()) ? null : own;
        }

        return held is not null && IsVisible(held) ? held : null;
    }

    /// <summary>
    /// The identity under <paramref name="email"/> the caller may see and use: found through
    /// <see cref="FindAsync"/>, then refused while its deletion is scheduled.
    /// </summary>
    /// <exception cref="IdentityNotFoundException">None the caller may see, or a pending-deletion one and the caller is not its owner or an admin.</exception>
    /// <exception cref="PendingDeletionException">A pending-deletion one, and the caller is its owner or an admin.</exception>
    public async Task<Identity> UsableAsync(string email, CancellationToken cancellationToken) =>
        (await FindAsync(email, cancellationToken).ConfigureAwait(false)).UsableBy(request);

    /// <summary>
    /// The identity under <paramref name="email"/> whose state the caller may read: found through
    /// <see cref="FindAsync"/>; one whose deletion is scheduled only for its owner or an admin.
    /// </summary>
    /// <exception cref="IdentityNotFoundException">None the caller may see, or a pending-deletion one and the caller is not its owner or an admin.</exception>
    public async Task<Identity> ReadableAsync(string email, CancellationToken cancellationToken)
    {
        var identity = (await FindAsync(email, cancellationToken).ConfigureAwait(false)).OrNotFound();
        return identity.IsPendingDeletion && !IdentityGuards.IsOwnerOrAdmin(request, identity) ? throw new IdentityNotFoundException() : identity;
    }

    /// <summary>
    /// Whether <paramref name="identity"/> is usable by the public (and may sign): verified, registered
    /// with verification off, or from before verification unless the operator hides those.
    /// </summary>
    public bool IsVisible(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.Standing switch
        {
            AddressStanding.Verified or AddressStanding.Unverified => true,
            AddressStanding.Legacy => options.Value.ExistingIdentities == ExistingIdentitiesMode.Usable,
            _ => false,
        };
    }
}
