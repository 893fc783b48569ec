namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>What a save needs to know of the identity a store holds: its revision, how many key versions it has, and which lack a signing key.</summary>
/// <param name="Revision">The stored revision.</param>
/// <param name="KeyVersionCount">The stored key versions; they are numbered 1..count.</param>
/// <param name="VersionsWithoutSigningKey">The stored versions written before signatures existed that have no signing key yet.</param>
/// <param name="Standing">The stored standing (a save that verifies a pending registration destroys its rivals).</param>
internal readonly record struct StoredIdentityState(
    long Revision, int KeyVersionCount, IReadOnlyCollection<int>? VersionsWithoutSigningKey = null, CryptoSecure.Domain.Identities.AddressStanding Standing = CryptoSecure.Domain.Identities.AddressStanding.Legacy);
