namespace CryptoSecure.Domain.Keys;

/// <summary>
/// The versions of one identity's key, oldest first, and the lowest version still allowed to
/// decrypt. Encryption always uses <see cref="Latest"/>.
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
}
