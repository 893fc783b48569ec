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
