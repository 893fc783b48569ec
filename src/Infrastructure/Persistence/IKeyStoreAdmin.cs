namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>What the host needs of a key store beyond the application's port: set-up and health.</summary>
public interface IKeyStoreAdmin
{
    /// <summary>Whether start-up should wait for the store in the background rather than fail (a remote store may come later).</summary>
    bool RetriesWhenUnavailable { get; }

    /// <summary>Creates the schema or indexes; idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="candidate"/> as the master-key check value if the store has none yet,
    /// and returns the stored one.
    /// </summary>
    Task<byte[]> EnsureMasterKeyCheckAsync(byte[] candidate, CancellationToken cancellationToken);

    /// <summary>The id of the master key whose check value the store holds, or null (a store of a release before master-key ids).</summary>
    Task<string?> ReadMasterKeyCheckIdAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Once a configured master key has proved to be the key of the stored check value (id
    /// <paramref name="checkKeyId"/>), in one transaction: every sealed key that names no master
    /// key (written before master-key ids) is marked as sealed by it, and the check value becomes
    /// <paramref name="currentCheckValue"/> of the current key <paramref name="currentKeyId"/>.
    /// Idempotent.
    /// </summary>
    Task AdoptMasterKeyAsync(string checkKeyId, byte[] currentCheckValue, string currentKeyId, CancellationToken cancellationToken);

    /// <summary>How many sealed private keys (encryption and signing) each master key id has sealed; a null id counts the keys not adopted yet.</summary>
    Task<IReadOnlyList<SealedKeyCount>> CountSealedKeysAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> normalized addresses, in order, after <paramref name="after"/>
    /// (null: from the start), of identities with a sealed key not sealed by <paramref name="masterKeyId"/>.
    /// </summary>
    Task<IReadOnlyList<string>> FindSealedByOtherThanAsync(string masterKeyId, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// A consistent snapshot of the whole store as it is now, taken online (private keys stay
    /// sealed in it), as a stream that removes its temporary file when disposed.
    /// </summary>
    /// <exception cref="Application.Common.Exceptions.OperationNotSupportedException">The store is backed up with its own tools (MongoDB: mongodump).</exception>
    Task<Stream> OpenSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>Throws <see cref="Application.Common.Exceptions.StoreUnavailableException"/> unless the store answers.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}

/// <summary>A number of sealed private keys under one master key.</summary>
/// <param name="MasterKeyId">The master key's id; null for keys from before master-key ids that the store has not adopted yet.</param>
/// <param name="Count">How many.</param>
public sealed record SealedKeyCount(string? MasterKeyId, long Count);
