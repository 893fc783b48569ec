using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>
/// The credential a request came with, as the owner-only rule sees it: none (or one that did not
/// authenticate), an identity's API key (known by that identity's normalized address), or an
/// administrator key. The transport builds it; the rule that reads it is <see cref="MayActFor"/>,
/// shared by the use-case check and the HTTP policy so the two cannot drift apart.
/// </summary>
public sealed class Caller
{
    private Caller(string? ownedEmail, bool isAdmin, Guid? ownedIdentityId = null)
    {
        OwnedEmail = ownedEmail;
        IsAdmin = isAdmin;
        OwnedIdentityId = ownedIdentityId;
    }

    /// <summary>No credential, or one that did not authenticate.</summary>
    public static Caller Anonymous { get; } = new(null, false);

    /// <summary>An administrator key: may act on every identity.</summary>
    public static Caller Admin { get; } = new(null, true);

    /// <summary>The normalized address of the identity whose API key was presented; null otherwise.</summary>
    public string? OwnedEmail { get; }

    /// <summary>
    /// The id of the identity whose API key was presented; null otherwise. Several pending
    /// registrations may share an address: the key, not the address, says which one is the caller's.
    /// </summary>
    public Guid? OwnedIdentityId { get; }

    /// <summary>Whether the key is an administrator's.</summary>
    public bool IsAdmin { get; }

    /// <summary>Whether any credential authenticated (a refusal is then 403, not 401).</summary>
    public bool IsAuthenticated => IsAdmin || OwnedEmail is not null;

    /// <summary>The holder of the API key of the identity registered under <paramref name="normalizedEmail"/>.</summary>
    public static Caller OwnerOf(string normalizedEmail, Guid? identityId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(normalizedEmail);
        return new(normalizedEmail, false, identityId);
    }

    /// <summary>
    /// Whether this caller may act as the owner of <paramref name="email"/>: an admin, or the holder
    /// of that identity's key. The address is normalized the way the store matches it, so case and
    /// surrounding space cannot smuggle another identity in; an address that does not parse belongs
    /// to no one.
    /// </summary>
    public bool MayActFor(string? email) =>
        IsAdmin
        || (OwnedEmail is not null
            && EmailAddress.TryParse(email, out var target, out _)
            && string.Equals(target!.Normalized, OwnedEmail, StringComparison.Ordinal));

    /// <inheritdoc />
    public override string ToString() => IsAdmin ? "Caller(admin)" : OwnedEmail is null ? "Caller(anonymous)" : "Caller(identity key)";
}
