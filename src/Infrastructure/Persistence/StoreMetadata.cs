namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>Keys of the metadata every store keeps beside its identities.</summary>
internal static class StoreMetadata
{
    /// <summary>
    /// The master key's check value (<see cref="Crypto.MasterKey.CheckValue"/>), written by the
    /// first start and compared at every later one. Released stores hold it under this name.
    /// </summary>
    public const string MasterKeyCheck = "master_key_check";

    /// <summary>The id of the master key whose check value <see cref="MasterKeyCheck"/> is (schema 7 on).</summary>
    public const string MasterKeyCheckId = "master_key_check_id";
}
