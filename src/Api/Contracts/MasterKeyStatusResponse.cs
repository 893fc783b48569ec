namespace CryptoSecure.Api.Contracts;

/// <summary>Where a master key rotation stands.</summary>
/// <param name="CurrentKeyId">The id of the current master key (a one-way tag of it, never the key).</param>
/// <param name="RecordsByKeyId">How many sealed private keys (encryption and signing keys) each master key id holds.</param>
/// <param name="Complete">True when every sealed key is under the current master key: the previous master keys can be removed from the configuration.</param>
public sealed record MasterKeyStatusResponse(string CurrentKeyId, IReadOnlyDictionary<string, long> RecordsByKeyId, bool Complete);
