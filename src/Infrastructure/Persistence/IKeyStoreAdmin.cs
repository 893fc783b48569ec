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

    /// <summary>Throws <see cref="Application.Common.Exceptions.StoreUnavailableException"/> unless the store answers.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
