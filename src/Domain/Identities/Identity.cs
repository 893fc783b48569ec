using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Domain.Identities;

/// <summary>
/// A registered email address with its key ring and the hash of its API key: the aggregate every
/// change to a registration goes through. Immutable: each change (<see cref="Rotate"/>,
/// <see cref="Configure(int, TimeSpan?)"/>, …) checks its rules and returns the next state with
/// <see cref="Revision"/> + 1, and the store saves that state only if it still holds the revision
/// the change started from, so a lost update is detected instead of overwritten. A new kind of
/// change is a new method here, never a new store operation.
/// </summary>
public sealed class Identity
{
    private Identity(Guid id, EmailAddress email, ApiKeyHash apiKeyHash, bool exportable, DateTimeOffset createdAt, long revision, KeyRing keys, DateTimeOffset? deletesAt, TimeSpan? autoRotatePeriod)
    {
        DeletesAt = deletesAt;
        AutoRotatePeriod = autoRotatePeriod;
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

    /// <summary>
    /// When the identity is crypto-shredded, if its deletion is scheduled (<see cref="ScheduleDeletion"/>);
    /// null otherwise. While set, the identity is disabled: only its state, its audit trail and
    /// <see cref="CancelDeletion"/> remain to its owner, and to everyone else it does not exist.
    /// </summary>
    public DateTimeOffset? DeletesAt { get; }

    /// <summary>Whether a deletion is scheduled.</summary>
    public bool IsPendingDeletion => DeletesAt is not null;

    /// <summary>How old the latest key version may get before the service rotates it; null when automatic rotation is off.</summary>
    public TimeSpan? AutoRotatePeriod { get; }

    /// <summary>When the service rotates next: the latest version's creation plus <see cref="AutoRotatePeriod"/>; null when off.</summary>
    public DateTimeOffset? NextRotationAt => AutoRotatePeriod is { } period ? Keys.Latest.CreatedAt + period : null;

    /// <summary>A new registration with its first key version.</summary>
    /// <exception cref="ArgumentException"><paramref name="first"/> is not version 1.</exception>
    public static Identity Register(Guid id, EmailAddress email, ApiKeyHash apiKeyHash, bool exportable, KeyVersion first, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(first);
        if (first.Version != 1)
        {
            throw new ArgumentException("A new identity starts at key version 1.", nameof(first));
        }

        return Restore(id, email, apiKeyHash, exportable, now, revision: 1, new KeyRing([first], minDecryptionVersion: 1));
    }

    /// <summary>
    /// An identity as a store holds it. The parts check themselves (the ring its version sequence
    /// and minimum); this checks what only the whole can.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The revision is below 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The automatic rotation period is not positive.</exception>
    public static Identity Restore(
        Guid id, EmailAddress email, ApiKeyHash apiKeyHash, bool exportable, DateTimeOffset createdAt, long revision, KeyRing keys,
        DateTimeOffset? deletesAt = null, TimeSpan? autoRotatePeriod = null)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(apiKeyHash);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(revision, 1);
        if (autoRotatePeriod is { } period)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero, nameof(autoRotatePeriod));
        }

        return new Identity(id, email, apiKeyHash, exportable, createdAt, revision, keys, deletesAt, autoRotatePeriod);
    }

    /// <summary>
    /// Adds <paramref name="next"/> as the latest key version: new encryptions use it, older
    /// versions keep decrypting until the minimum is raised past them.
    /// </summary>
    /// <param name="next">Numbered <see cref="KeyRing.NextVersion"/>, its private key sealed for that number.</param>
    /// <exception cref="ArgumentException"><paramref name="next"/> is not the next number.</exception>
    /// <exception cref="IdentityPendingDeletionException">A deletion is scheduled.</exception>
    public Identity Rotate(KeyVersion next) => Next(Active().Keys.With(next));

    /// <summary>Sets the minimum decryption version; below it, versions neither decrypt nor export.</summary>
    /// <exception cref="MinDecryptionVersionOutOfRangeException">The minimum is outside 1..latest.</exception>
    /// <exception cref="IdentityPendingDeletionException">A deletion is scheduled.</exception>
    public Identity Configure(int minDecryptionVersion) => Configure(minDecryptionVersion, AutoRotatePeriod);

    /// <summary>
    /// Sets the minimum decryption version and the automatic rotation period (null: off) in one
    /// change. The period's lower bound is the service's setting, checked by the use case.
    /// </summary>
    /// <exception cref="MinDecryptionVersionOutOfRangeException">The minimum is outside 1..latest.</exception>
    /// <exception cref="IdentityPendingDeletionException">A deletion is scheduled.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The period is not positive.</exception>
    public Identity Configure(int minDecryptionVersion, TimeSpan? autoRotatePeriod)
    {
        if (autoRotatePeriod is { } period)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero, nameof(autoRotatePeriod));
        }

        // Built here, not by Next: a null period here means "off", not "unchanged".
        return new(Id, Email, ApiKeyHash, Exportable, CreatedAt, Revision + 1, Active().Keys.WithMinDecryptionVersion(minDecryptionVersion), DeletesAt, autoRotatePeriod);
    }

    /// <summary>
    /// Disables the identity at once and schedules its crypto-shredding for <paramref name="deletesAt"/>.
    /// Scheduling again is refused with the time already set: a second request must not push the
    /// shredding further away (or bring it nearer) behind the owner's back.
    /// </summary>
    /// <exception cref="IdentityPendingDeletionException">A deletion is already scheduled.</exception>
    public Identity ScheduleDeletion(DateTimeOffset deletesAt) => Next(Active().Keys, deletesAt: deletesAt);

    /// <summary>Cancels the scheduled deletion: the identity works again as before.</summary>
    /// <exception cref="InvalidOperationException">No deletion is scheduled (the use case checks first).</exception>
    public Identity CancelDeletion() =>
        IsPendingDeletion
            ? new(Id, Email, ApiKeyHash, Exportable, CreatedAt, Revision + 1, Keys, deletesAt: null, AutoRotatePeriod)
            : throw new InvalidOperationException("No deletion is scheduled.");

    /// <summary>Whether the scheduled deletion is due at <paramref name="now"/>.</summary>
    public bool IsDeletionDue(DateTimeOffset now) => DeletesAt <= now;

    /// <summary>Whether the service should rotate at <paramref name="now"/>: automatic rotation is on, the latest version has reached its period, and no deletion is scheduled.</summary>
    public bool IsRotationDue(DateTimeOffset now) => !IsPendingDeletion && NextRotationAt <= now;

    /// <summary>
    /// Gives <paramref name="version"/>, written before signatures existed, its signing key. Only
    /// the latest version is ever given one (signing always uses the latest), but the rule is the
    /// ring's: any version without one may take one.
    /// </summary>
    /// <exception cref="ArgumentException">No such version, or it already has a signing key.</exception>
    /// <exception cref="IdentityPendingDeletionException">A deletion is scheduled.</exception>
    public Identity WithSigningKey(int version, SigningKey signingKey) => Next(Active().Keys.WithSigningKey(version, signingKey));

    /// <summary>
    /// Keeps the same key pairs, sealed anew (master key rotation: the re-sealer moves every
    /// private key to the current master key). Nothing a client sees changes.
    /// </summary>
    /// <exception cref="ArgumentException">A version is missing or is not the same key pair.</exception>
    public Identity Reseal(IReadOnlyList<KeyVersion> resealed) => Next(Keys.Resealed(resealed));

    /// <summary>The JOSE "kid" naming <paramref name="version"/> of this identity's encryption key.</summary>
    public string KeyIdOf(int version) => KeyId.Format(Id, version);

    /// <summary>The JOSE "kid" naming <paramref name="version"/> of this identity's signing key.</summary>
    public string SigningKeyIdOf(int version) => KeyId.FormatSigning(Id, version);

    /// <summary>Whether <paramref name="version"/> may be exported.</summary>
    public bool CanExport(int version) => Exportable && Keys.IsDecryptionAllowed(version);

    private Identity Next(KeyRing keys, DateTimeOffset? deletesAt = null) =>
        new(Id, Email, ApiKeyHash, Exportable, CreatedAt, Revision + 1, keys, deletesAt ?? DeletesAt, AutoRotatePeriod);

    // Every change but the cancellation itself is refused while a deletion is scheduled, so a
    // change racing the scheduling (and retried on the state that won) cannot slip through.
    private Identity Active() => DeletesAt is { } deletesAt ? throw new IdentityPendingDeletionException(deletesAt) : this;
}
