using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.Persistence;

namespace CryptoSecure.Infrastructure.MasterKeys;

/// <summary>Where a master key rotation stands.</summary>
/// <param name="CurrentKeyId">The id of the master key everything new is sealed under.</param>
/// <param name="RecordsByKeyId">How many sealed private keys (encryption and signing) each master key id holds.</param>
/// <param name="Complete">True when every one is under the current key: the previous keys may be removed.</param>
public sealed record MasterKeyRotationState(string CurrentKeyId, IReadOnlyDictionary<string, long> RecordsByKeyId, bool Complete);

/// <summary>Reads where a master key rotation stands, from the store (so it is right on every node).</summary>
public sealed class MasterKeyStatus(IKeyStoreAdmin admin, MasterKeyRing masterKeys)
{
    /// <summary>The counts per master key id, read in one snapshot.</summary>
    public async Task<MasterKeyRotationState> ReadAsync(CancellationToken cancellationToken)
    {
        var counts = await admin.CountSealedKeysAsync(cancellationToken).ConfigureAwait(false);
        var current = masterKeys.Current.Id;

        // After start-up no key is without an id; should one be (a first-release row written by a
        // node that has not restarted), it is the check value's and not yet moved, so it counts as not current.
        var byId = counts
            .GroupBy(c => c.MasterKeyId ?? "unknown", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Count), StringComparer.Ordinal);
        return new MasterKeyRotationState(current, byId, byId.Keys.All(id => id == current));
    }
}
