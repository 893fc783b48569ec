namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>What a save needs to know of the identity a store holds: its revision, how many key versions it has, and which lack a signing key.</summary>
/// <param name="Revision">The stored revision.</param>
/// <param name="KeyVersionCount">The stored key versions; they are numbered 1..count.</param>
/// <param name="VersionsWithoutSigningKey">The stored versions written before signatures existed that have no signing key yet.</param>
internal readonly record struct StoredIdentityState(long Revision, int KeyVersionCount, IReadOnlyCollection<int>? VersionsWithoutSigningKey = null);
