namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>What a save needs to know of the identity a store holds: its revision and how many key versions it has.</summary>
/// <param name="Revision">The stored revision.</param>
/// <param name="KeyVersionCount">The stored key versions; they are numbered 1..count.</param>
internal readonly record struct StoredIdentityState(long Revision, int KeyVersionCount);
