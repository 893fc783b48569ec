namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>What a save needs to know of the identity a store holds: its revision, how many key versions it has, which lack a signing key, and which master keys sealed them.</summary>
/// <param name="Revision">The stored revision.</param>
/// <param name="KeyVersionCount">The stored key versions; they are numbered 1..count.</param>
/// <param name="VersionsWithoutSigningKey">The stored versions written before signatures existed that have no signing key yet.</param>
/// <param name="SealedBy">Per stored version, the ids of the master keys that sealed its keys (null: not known, or no such key).</param>
internal readonly record struct StoredIdentityState(
    long Revision, int KeyVersionCount, IReadOnlyCollection<int>? VersionsWithoutSigningKey = null, IReadOnlyDictionary<int, StoredSealers>? SealedBy = null);

/// <summary>The ids of the master keys that sealed one stored version's keys.</summary>
/// <param name="Encryption">Of its encryption key; null for a first-release row not adopted yet.</param>
/// <param name="Signing">Of its signing key; null when it has none (or one not adopted yet).</param>
internal readonly record struct StoredSealers(string? Encryption, string? Signing);
