using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>
/// The rules of <see cref="IKeyStore.SaveAsync"/>, decided here once for every adapter: each reads
/// the stored <see cref="StoredIdentityState"/> inside its transaction and lets these rules say
/// whether the save goes ahead and which key versions it appends.
/// </summary>
internal static class SaveRules
{
    /// <summary>Refuses a save that no state of the store could make right, before the store is asked.</summary>
    /// <exception cref="ArgumentException"><paramref name="nextState"/> is not later than <paramref name="expectedRevision"/>, or an event is another identity's.</exception>
    public static void CheckArguments(Identity nextState, long expectedRevision, IReadOnlyList<AuditEvent> auditEvents)
    {
        ArgumentNullException.ThrowIfNull(nextState);
        ArgumentNullException.ThrowIfNull(auditEvents);
        if (nextState.Revision <= expectedRevision)
        {
            throw new ArgumentException($"A saved state has a later revision than the one it was made from ({nextState.Revision} is not after {expectedRevision}).", nameof(nextState));
        }

        if (auditEvents.Any(e => e.IdentityId != nextState.Id))
        {
            throw new ArgumentException("The audit events of a save record changes of the identity saved.", nameof(auditEvents));
        }
    }

    /// <summary>
    /// The key versions of <paramref name="nextState"/> the store does not hold yet, when the store
    /// still holds <paramref name="expectedRevision"/>. The versions it holds are taken to be the
    /// first ones of the next state: it was made from the state read at that revision, and
    /// versions are append-only.
    /// </summary>
    /// <param name="stored">What the store holds; null when the identity is not there.</param>
    /// <param name="nextState">The state to save.</param>
    /// <param name="expectedRevision">The revision the state was made from.</param>
    /// <exception cref="IdentityNotFoundException">The identity is gone (deleted meanwhile).</exception>
    /// <exception cref="ConcurrencyConflictException">Another change was saved meanwhile.</exception>
    /// <exception cref="ArgumentException">The next state has fewer versions than the store.</exception>
    public static IReadOnlyList<KeyVersion> VersionsToAppend(StoredIdentityState? stored, Identity nextState, long expectedRevision)
    {
        ArgumentNullException.ThrowIfNull(nextState);
        if (stored is not { } state)
        {
            throw new IdentityNotFoundException();
        }

        if (state.Revision != expectedRevision)
        {
            throw new ConcurrencyConflictException();
        }

        var versions = nextState.Keys.Versions;
        if (state.KeyVersionCount > versions.Count)
        {
            throw new ArgumentException($"Key versions are append-only: the store holds {state.KeyVersionCount}, the state to save {versions.Count}.", nameof(nextState));
        }

        return versions.Skip(state.KeyVersionCount).ToArray();
    }

    /// <summary>
    /// The stored key versions that <paramref name="nextState"/> gives a signing key they do not
    /// have in the store yet (versions from before signatures existed, on their first sign); call
    /// after <see cref="VersionsToAppend"/> has accepted the save. Signing keys are write-once:
    /// one the store holds is never replaced, so a signature it made stays verifiable.
    /// </summary>
    public static IReadOnlyList<KeyVersion> SigningKeysToAdd(StoredIdentityState stored, Identity nextState)
    {
        ArgumentNullException.ThrowIfNull(nextState);
        return (stored.VersionsWithoutSigningKey ?? [])
            .Select(v => nextState.Keys.Find(v))
            .Where(v => v?.SigningKey is not null)
            .Select(v => v!)
            .ToArray();
    }

    /// <summary>
    /// The stored key versions whose sealed keys <paramref name="nextState"/> holds sealed under
    /// another master key than the store (a re-seal, <see cref="Identity.Reseal"/>); call after
    /// <see cref="VersionsToAppend"/> has accepted the save. Only a move to another master key
    /// replaces a sealed key: the bytes of one sealed under the same key are never rewritten.
    /// </summary>
    public static IReadOnlyList<KeyVersion> ResealedVersions(StoredIdentityState stored, Identity nextState)
    {
        ArgumentNullException.ThrowIfNull(nextState);
        if (stored.SealedBy is not { } sealers)
        {
            return [];
        }

        return nextState.Keys.Versions
            .Where(v => sealers.TryGetValue(v.Version, out var s)
                && (!string.Equals(s.Encryption, v.SealedPrivateKey.SealedBy, StringComparison.Ordinal)
                    || (s.Signing is not null && v.SigningKey is not null && !string.Equals(s.Signing, v.SigningKey.SealedPrivateKey.SealedBy, StringComparison.Ordinal))))
            .ToArray();
    }
}
