namespace CryptoSecure.Domain.Keys;

/// <summary>
/// The versions of one identity's key, oldest first, and the lowest version still allowed to
/// decrypt. Encryption always uses <see cref="Latest"/>. Immutable: <see cref="With"/> and
/// <see cref="WithMinDecryptionVersion"/> return a new ring, so an identity's state before a change
/// stays what the store holds until the change is saved.
/// </summary>
public sealed class KeyRing
{
    /// <summary>Builds a ring from stored versions.</summary>
    /// <exception cref="ArgumentException">The versions are not exactly 1..n, or the minimum is outside 1..n.</exception>
    public KeyRing(IEnumerable<KeyVersion> versions, int minDecryptionVersion)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var ordered = versions.OrderBy(v => v.Version).ToArray();
        if (ordered.Length == 0)
        {
            throw new ArgumentException("A key ring holds at least one version.", nameof(versions));
        }

        for (var i = 0; i < ordered.Length; i++)
        {
            if (ordered[i].Version != i + 1)
            {
                throw new ArgumentException("Key versions must run 1..n without gaps.", nameof(versions));
            }
        }

        if (minDecryptionVersion < 1 || minDecryptionVersion > ordered.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(minDecryptionVersion), minDecryptionVersion, "The minimum decryption version must lie between 1 and the latest version.");
        }

        Versions = ordered;
        MinDecryptionVersion = minDecryptionVersion;
    }

    /// <summary>Every version, oldest first.</summary>
    public IReadOnlyList<KeyVersion> Versions { get; }

    /// <summary>Versions below this no longer decrypt and are not exported.</summary>
    public int MinDecryptionVersion { get; }

    /// <summary>The version new encryptions use.</summary>
    public KeyVersion Latest => Versions[^1];

    /// <summary>The number the next rotation gets.</summary>
    public int NextVersion => Versions.Count + 1;

    /// <summary>The version numbered <paramref name="version"/>, if the ring has it.</summary>
    public KeyVersion? Find(int version) =>
        version >= 1 && version <= Versions.Count ? Versions[version - 1] : null;

    /// <summary>Whether <paramref name="version"/> exists and is at or above the minimum.</summary>
    public bool IsDecryptionAllowed(int version) => version >= MinDecryptionVersion && version <= Versions.Count;

    /// <summary>The versions allowed to decrypt, latest first: the order to try a ciphertext that names none.</summary>
    public IEnumerable<KeyVersion> DecryptionCandidatesLatestFirst()
    {
        for (var i = Versions.Count - 1; i >= MinDecryptionVersion - 1; i--)
        {
            yield return Versions[i];
        }
    }

    /// <summary>Whether <paramref name="minDecryptionVersion"/> is a valid setting for this ring.</summary>
    public bool IsValidMinDecryptionVersion(int minDecryptionVersion) =>
        minDecryptionVersion >= 1 && minDecryptionVersion <= Versions.Count;

    /// <summary>This ring with <paramref name="next"/> appended as the latest version; the minimum stays.</summary>
    /// <exception cref="ArgumentException"><paramref name="next"/> is not numbered <see cref="NextVersion"/>.</exception>
    public KeyRing With(KeyVersion next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (next.Version != NextVersion)
        {
            // The number is bound into the sealed key, so a caller that claims another one has sealed
            // the key for the wrong version: a bug, never a client's request.
            throw new ArgumentException($"The next key version is {NextVersion}, not {next.Version}.", nameof(next));
        }

        return new KeyRing([.. Versions, next], MinDecryptionVersion);
    }

    /// <summary>
    /// The versions with a signing key, latest first: the keys a raw signature (which names none)
    /// is checked against. The minimum decryption version does not apply: old signatures stay checkable.
    /// </summary>
    public IEnumerable<KeyVersion> VerificationCandidatesLatestFirst()
    {
        for (var i = Versions.Count - 1; i >= 0; i--)
        {
            if (Versions[i].SigningKey is not null)
            {
                yield return Versions[i];
            }
        }
    }

    /// <summary>
    /// This ring with <paramref name="signingKey"/> given to <paramref name="version"/>, which has
    /// none yet (a version written before signatures existed); the minimum stays.
    /// </summary>
    /// <exception cref="ArgumentException">No such version, or it already has a signing key.</exception>
    public KeyRing WithSigningKey(int version, SigningKey signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        var target = Find(version) ?? throw new ArgumentException($"The ring has no version {version}.", nameof(version));
        if (target.SigningKey is not null)
        {
            // A signing key is sealed once and published in the JWK Set: replacing it would make
            // the signatures it made unverifiable. A caller that tries has lost a race it must re-read.
            throw new ArgumentException($"Key version {version} already has a signing key.", nameof(version));
        }

        var versions = Versions.ToArray();
        versions[version - 1] = target with { SigningKey = signingKey };
        return new KeyRing(versions, MinDecryptionVersion);
    }

    /// <summary>
    /// This ring with the private keys of its versions sealed anew (under another master key):
    /// <paramref name="resealed"/> holds one entry per version, each the same key pair as before
    /// (number, size, public keys and time unchanged), only its sealed bytes differ. The minimum stays.
    /// </summary>
    /// <exception cref="ArgumentException">A version is missing, or differs in anything but its sealed keys.</exception>
    public KeyRing Resealed(IReadOnlyList<KeyVersion> resealed)
    {
        ArgumentNullException.ThrowIfNull(resealed);
        if (resealed.Count != Versions.Count)
        {
            throw new ArgumentException($"A reseal covers every version ({Versions.Count}), not {resealed.Count}.", nameof(resealed));
        }

        var ordered = resealed.OrderBy(v => v.Version).ToArray();
        for (var i = 0; i < ordered.Length; i++)
        {
            var before = Versions[i];
            var after = ordered[i];
            var samePair = after.Version == before.Version && after.Size == before.Size && after.CreatedAt == before.CreatedAt
                && after.PublicKey.AsSpan().SequenceEqual(before.PublicKey)
                && (after.SigningKey is null) == (before.SigningKey is null)
                && (before.SigningKey is null || after.SigningKey!.PublicKey.AsSpan().SequenceEqual(before.SigningKey.PublicKey));
            if (!samePair)
            {
                // Resealing changes how a key is kept, never which key it is: anything else is a bug.
                throw new ArgumentException($"Resealed key version {after.Version} is not the same key pair as the stored one.", nameof(resealed));
            }
        }

        return new KeyRing(ordered, MinDecryptionVersion);
    }

    /// <summary>This ring with another minimum decryption version; it may go down as well as up.</summary>
    /// <exception cref="MinDecryptionVersionOutOfRangeException">The minimum is outside 1..latest.</exception>
    public KeyRing WithMinDecryptionVersion(int minDecryptionVersion) =>
        IsValidMinDecryptionVersion(minDecryptionVersion)
            ? new KeyRing(Versions, minDecryptionVersion)
            : throw new MinDecryptionVersionOutOfRangeException(minDecryptionVersion, Latest.Version);
}
