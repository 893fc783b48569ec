using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Domain.Identities;

/// <summary>
/// A registered email address with its key ring and the hash of its API key. Immutable: each
/// change is a new instance with <see cref="Revision"/> + 1, so stores can detect lost updates.
/// </summary>
public sealed class Identity
{
    /// <summary>Restores or creates an identity.</summary>
    public Identity(Guid id, EmailAddress email, ApiKeyHash apiKeyHash, bool exportable, DateTimeOffset createdAt, long revision, KeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(apiKeyHash);
        ArgumentNullException.ThrowIfNull(keys);
        Id = id;
        Email = email;
        ApiKeyHash = apiKeyHash;
        Exportable = exportable;
        CreatedAt = createdAt;
        Revision = revision;
        Keys = keys;
    }

    /// <summary>
    /// Stable identifier of this registration. A deleted and re-registered email gets a new one,
    /// so nothing of the old registration (keys, audit trail) carries over.
    /// </summary>
    public Guid Id { get; }

    /// <summary>The registered address.</summary>
    public EmailAddress Email { get; }

    /// <summary>SHA-256 of the owner's API key.</summary>
    public ApiKeyHash ApiKeyHash { get; }

    /// <summary>Whether private keys may leave the service.</summary>
    public bool Exportable { get; }

    /// <summary>Registration time.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Optimistic-concurrency counter: 1 at registration, +1 per change.</summary>
    public long Revision { get; }

    /// <summary>The key versions.</summary>
    public KeyRing Keys { get; }

    /// <summary>A new registration with its first key version.</summary>
    public static Identity Register(Guid id, EmailAddress email, ApiKeyHash apiKeyHash, bool exportable, KeyVersion first, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(first);
        if (first.Version != 1)
        {
            throw new ArgumentException("A new identity starts at key version 1.", nameof(first));
        }

        return new Identity(id, email, apiKeyHash, exportable, now, revision: 1, new KeyRing([first], minDecryptionVersion: 1));
    }

    /// <summary>The JOSE "kid" naming <paramref name="version"/> of this identity's key.</summary>
    public string KeyIdOf(int version) => KeyId.Format(Id, version);

    /// <summary>Whether <paramref name="version"/> may be exported.</summary>
    public bool CanExport(int version) => Exportable && Keys.IsDecryptionAllowed(version);
}
