using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>Helpers for loading an identity or failing with 404 (or 409 while its deletion is pending).</summary>
public static class IdentityGuards
{
    /// <summary>Returns <paramref name="identity"/> or throws <see cref="IdentityNotFoundException"/>.</summary>
    public static Identity OrNotFound(this Identity? identity) => identity ?? throw new IdentityNotFoundException();

    /// <summary>
    /// Returns <paramref name="identity"/> when it exists and is not scheduled for deletion. A
    /// scheduled identity is disabled: its owner (or an admin) is told so (409), everyone else
    /// is answered exactly as for an unknown address (404), so the public cannot tell a pending
    /// deletion from none. Every operation but reading the owner's own state, the audit trail and
    /// restore loads its identity through this.
    /// </summary>
    /// <exception cref="IdentityNotFoundException">No such identity, or a pending one and the caller is not its owner or an admin.</exception>
    /// <exception cref="PendingDeletionException">A pending one, and the caller is its owner or an admin.</exception>
    public static Identity UsableBy(this Identity? identity, IRequestContext request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = identity.OrNotFound();
        if (found.DeletesAt is not { } deletesAt)
        {
            return found;
        }

        throw IsOwnerOrAdmin(request, found) ? new PendingDeletionException(deletesAt) : new IdentityNotFoundException();
    }

    /// <summary>Whether the caller holds <paramref name="identity"/>'s own key or an admin key.</summary>
    public static bool IsOwnerOrAdmin(IRequestContext request, Identity identity)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(identity);
        return request.ActorFor(identity.Id) is AuditActor.Owner or AuditActor.Admin;
    }
}
