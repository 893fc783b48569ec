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
    private Identity(
        Guid id, EmailAddress email, ApiKeyHash apiKeyHash, bool exportable, DateTimeOffset createdAt, long revision, KeyRing keys,
        DateTimeOffset? deletesAt, TimeSpan? autoRotatePeriod,
        AddressStanding standing, DateTimeOffset? verifiedAt, DateTimeOffset? pendingUntil, OneTimeCode? code)
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
        Standing = standing;
        VerifiedAt = verifiedAt;
        PendingUntil = pendingUntil;
        Code = code;
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
    /// <summary>How far the address is proven (and so who may see the identity).</summary>
    public AddressStanding Standing { get; }

    /// <summary>Whether the owner proved the address with a mailed code.</summary>
    public bool EmailVerified => Standing == AddressStanding.Verified;

    /// <summary>When the address was verified; null until then.</summary>
    public DateTimeOffset? VerifiedAt { get; }

    /// <summary>When a <see cref="AddressStanding.Pending"/> registration is destroyed unless verified; null otherwise.</summary>
    public DateTimeOffset? PendingUntil { get; }

    /// <summary>The one-time code the identity waits for (its hash), if any.</summary>
    public OneTimeCode? Code { get; }

    /// <summary>A new registration with its first key version.</summary>
    /// <exception cref="ArgumentException"><paramref name="first"/> is not version 1.</exception>
    public static Identity Register(Guid id, EmailAddress email, ApiKeyHash apiKeyHash, bool exportable, KeyVersion first, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(first);
        if (first.Version != 1)
        {
            throw new ArgumentException("A new identity starts at key version 1.", nameof(first));
        }

        return Restore(id, email, apiKeyHash, exportable, now, revision: 1, new KeyRing([first], minDecryptionVersion: 1), standing: AddressStanding.Unverified);
    }

    /// <summary>
    /// A new registration that must prove its address before anyone but its owner sees it: pending
    /// until <paramref name="pendingUntil"/>, waiting for <paramref name="code"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="first"/> is not version 1, or the code is not a registration code.</exception>
    public static Identity RegisterPending(
        Guid id, EmailAddress email, ApiKeyHash apiKeyHash, bool exportable, KeyVersion first, DateTimeOffset now, DateTimeOffset pendingUntil, OneTimeCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Purpose != CodePurpose.Registration)
        {
            throw new ArgumentException("A pending registration waits for a registration code.", nameof(code));
        }

        var registered = Register(id, email, apiKeyHash, exportable, first, now);
        return new Identity(id, email, apiKeyHash, exportable, now, 1, registered.Keys, null, null, AddressStanding.Pending, null, pendingUntil, code);
    }

    /// <summary>
    /// An identity as a store holds it. The parts check themselves (the ring its version sequence
    /// and minimum); this checks what only the whole can.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The revision is below 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The automatic rotation period is not positive.</exception>
    /// <exception cref="ArgumentException">A pending identity without its expiry, or verified without its time.</exception>
    public static Identity Restore(
        Guid id, EmailAddress email, ApiKeyHash apiKeyHash, bool exportable, DateTimeOffset createdAt, long revision, KeyRing keys,
        DateTimeOffset? deletesAt = null, TimeSpan? autoRotatePeriod = null,
        AddressStanding standing = AddressStanding.Legacy, DateTimeOffset? verifiedAt = null, DateTimeOffset? pendingUntil = null, OneTimeCode? code = null)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(apiKeyHash);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(revision, 1);
        if (autoRotatePeriod is { } period)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero, nameof(autoRotatePeriod));
        }

        if ((standing == AddressStanding.Pending) != pendingUntil.HasValue)
        {
            throw new ArgumentException("A pending registration, and only one, has an expiry.", nameof(pendingUntil));
        }

        if ((standing == AddressStanding.Verified) != verifiedAt.HasValue)
        {
            throw new ArgumentException("A verified identity, and only one, has a verification time.", nameof(verifiedAt));
        }

        return new Identity(id, email, apiKeyHash, exportable, createdAt, revision, keys, deletesAt, autoRotatePeriod, standing, verifiedAt, pendingUntil, code);
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
        return Copy(keys: Active().Keys.WithMinDecryptionVersion(minDecryptionVersion), autoRotatePeriod: autoRotatePeriod);
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
            ? Copy(deletesAt: (DateTimeOffset?)null)
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

    /// <summary>Whether this is a pending registration whose time ran out (it only waits to be swept away).</summary>
    public bool IsExpiredPending(DateTimeOffset now) => Standing == AddressStanding.Pending && now >= PendingUntil;

    /// <summary>
    /// Waits for <paramref name="code"/> instead of any earlier code (a registration code is resent,
    /// or a recovery is asked for).
    /// </summary>
    /// <exception cref="AlreadyVerifiedException">A registration code for a verified address.</exception>
    /// <exception cref="ArgumentException">A recovery code for an address that is not verified.</exception>
    /// <exception cref="IdentityPendingDeletionException">A deletion is scheduled.</exception>
    public Identity AwaitCode(OneTimeCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Purpose == CodePurpose.Registration && EmailVerified)
        {
            throw new AlreadyVerifiedException();
        }

        if (code.Purpose == CodePurpose.Recovery && !EmailVerified)
        {
            throw new ArgumentException("Only a verified address may recover its API key.", nameof(code));
        }

        return Active().WithCode(code);
    }

    /// <summary>Whether <paramref name="codeHash"/> is the live code for <paramref name="purpose"/> at <paramref name="now"/>.</summary>
    public bool AcceptsCode(CodePurpose purpose, byte[] codeHash, DateTimeOffset now) =>
        Code is { } code && code.Purpose == purpose && code.IsLive(now) && !IsExpiredPending(now) && code.Matches(codeHash);

    /// <summary>Counts a wrong code against the code waited for; after <see cref="OneTimeCode.MaxFailures"/> it is dead.</summary>
    public Identity RecordWrongCode() => WithCode(Code?.WithFailure());

    /// <summary>
    /// The address is proven: the identity becomes verified, visible and the holder of its address
    /// (the store destroys the other pending registrations of it in the same transaction).
    /// </summary>
    /// <exception cref="AlreadyVerifiedException">It already is.</exception>
    /// <exception cref="WrongCodeException"><paramref name="codeHash"/> is not the live registration code.</exception>
    /// <exception cref="IdentityPendingDeletionException">A deletion is scheduled.</exception>
    public Identity Verify(byte[] codeHash, DateTimeOffset now)
    {
        if (EmailVerified)
        {
            throw new AlreadyVerifiedException();
        }

        if (!AcceptsCode(CodePurpose.Registration, codeHash, now))
        {
            throw new WrongCodeException();
        }

        return Active().Copy(standing: AddressStanding.Verified, verifiedAt: now, pendingUntil: (DateTimeOffset?)null, code: (OneTimeCode?)null);
    }

    /// <summary>A new API key; the old one stops working when this state is saved.</summary>
    /// <exception cref="IdentityPendingDeletionException">A deletion is scheduled.</exception>
    public Identity ReplaceApiKey(ApiKeyHash next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Active().Copy(apiKeyHash: next);
    }

    /// <summary>A lost API key is replaced through the mailbox: the recovery code is used up.</summary>
    /// <exception cref="WrongCodeException"><paramref name="codeHash"/> is not the live recovery code.</exception>
    /// <exception cref="IdentityPendingDeletionException">A deletion is scheduled.</exception>
    public Identity Recover(byte[] codeHash, ApiKeyHash next, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (!AcceptsCode(CodePurpose.Recovery, codeHash, now))
        {
            throw new WrongCodeException();
        }

        return Active().Copy(apiKeyHash: next, code: (OneTimeCode?)null);
    }

    private Identity Next(KeyRing keys, DateTimeOffset? deletesAt = null) => Copy(keys: keys, deletesAt: deletesAt ?? DeletesAt);

    private Identity WithCode(OneTimeCode? code) => Copy(code: code);

    // The next state (Revision + 1) with the named parts replaced and every other part carried:
    // keys (with their sealed-by ids), standing and code, deletion and rotation schedule. The
    // nullable parts take a Keep sentinel so "set to null" and "unchanged" stay apart.
    private Identity Copy(
        ApiKeyHash? apiKeyHash = null, KeyRing? keys = null,
        Optional<DateTimeOffset?> deletesAt = default, Optional<TimeSpan?> autoRotatePeriod = default,
        AddressStanding? standing = null, Optional<DateTimeOffset?> verifiedAt = default,
        Optional<DateTimeOffset?> pendingUntil = default, Optional<OneTimeCode?> code = default) =>
        new(Id, Email, apiKeyHash ?? ApiKeyHash, Exportable, CreatedAt, Revision + 1, keys ?? Keys,
            deletesAt.Or(DeletesAt), autoRotatePeriod.Or(AutoRotatePeriod),
            standing ?? Standing, verifiedAt.Or(VerifiedAt), pendingUntil.Or(PendingUntil), code.Or(Code));

    // Every change but the cancellation itself is refused while a deletion is scheduled, so a
    // change racing the scheduling (and retried on the state that won) cannot slip through.
    private Identity Active() => DeletesAt is { } deletesAt ? throw new IdentityPendingDeletionException(deletesAt) : this;

    // A value that is either given (possibly null) or left out.
    private readonly struct Optional<T>
    {
        private readonly T value;
        private readonly bool given;

        private Optional(T value)
        {
            this.value = value;
            given = true;
        }

        public static implicit operator Optional<T>(T value) => new(value);

        public T Or(T current) => given ? value : current;
    }
}
