namespace CryptoSecure.Domain.Audit;

/// <summary>What happened to an identity.</summary>
public enum AuditAction
{
    /// <summary>The identity was registered.</summary>
    Registered,

    /// <summary>Data was encrypted to the identity.</summary>
    Encrypted,

    /// <summary>A ciphertext was decrypted (or a decryption failed).</summary>
    Decrypted,

    /// <summary>A private key was exported.</summary>
    Exported,

    /// <summary>A key version was added.</summary>
    Rotated,

    /// <summary>The minimum decryption version was changed.</summary>
    Configured,

    /// <summary>A ciphertext was re-encrypted under the latest version.</summary>
    Rewrapped,

    /// <summary>The identity and its keys were destroyed.</summary>
    Deleted,

    /// <summary>A caller holding another identity's key was turned away.</summary>
    Denied,

    /// <summary>A payload or digest was signed with the latest version's signing key.</summary>
    PayloadSigned,

    /// <summary>A signature was checked; success when it verified, failure when it did not.</summary>
    SignatureVerified,

    /// <summary>A key version from before signatures existed was given its signing key, on its first sign.</summary>
    SigningKeyAdded,

    /// <summary>A data key was made and wrapped to the latest version (envelope encryption).</summary>
    DataKeyGenerated,

    /// <summary>The identity was disabled and its deletion scheduled (the waiting period started).</summary>
    DeletionScheduled,

    /// <summary>A scheduled deletion was cancelled: the identity works again.</summary>
    DeletionCancelled,
}

/// <summary>How it ended.</summary>
public enum AuditOutcome
{
    /// <summary>It was done.</summary>
    Success,

    /// <summary>It was tried and failed (for example a ciphertext that did not decrypt).</summary>
    Failure,

    /// <summary>The caller was not allowed.</summary>
    Denied,
}

/// <summary>Who acted, as far as the credential says.</summary>
public enum AuditActor
{
    /// <summary>No credential (public operations).</summary>
    Anonymous,

    /// <summary>The identity's own API key.</summary>
    Owner,

    /// <summary>An administrator key.</summary>
    Admin,

    /// <summary>Another identity's API key.</summary>
    Other,

    /// <summary>The service itself, with no request behind it (the shredding of a due deletion, an automatic rotation).</summary>
    Service,
}

/// <summary>
/// One entry of an identity's append-only audit trail. Carries no plaintext, ciphertext or key
/// material by construction: there is no field to put them in.
/// </summary>
/// <remarks>
/// Most events stand for one occurrence. A refusal of a stranger (<see cref="AuditKind.Denied"/>)
/// stands for every refusal of the same kind in its bucket (<see cref="AuditAggregation"/>): the
/// store keeps the first occurrence's fields, counts the rest and remembers the last one's time.
/// </remarks>
/// <param name="IdentityId">The registration it concerns.</param>
/// <param name="OccurredAt">When (the first occurrence, for an aggregated refusal).</param>
/// <param name="Action">What.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Actor">Who, by credential kind.</param>
/// <param name="KeyVersion">The key version involved, when one was.</param>
/// <param name="ClientAddress">The client's network address.</param>
/// <param name="RequestId">The request's id, to match with logs (the first request's, for an aggregated refusal).</param>
public sealed record AuditEvent(
    Guid IdentityId,
    DateTimeOffset OccurredAt,
    AuditAction Action,
    AuditOutcome Outcome,
    AuditActor Actor,
    int? KeyVersion,
    string? ClientAddress,
    string? RequestId)
{
    private readonly int _count = 1;

    // Kept only when it differs from OccurredAt, so an event read back from a store equals the one
    // written whether or not the store spells out the last occurrence.
    private readonly DateTimeOffset? _lastOccurredAt;

    /// <summary>How many occurrences this event stands for: 1, or more for an aggregated refusal.</summary>
    public int Count
    {
        get => _count;
        init => _count = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Count), value, "An event stands for at least one occurrence.");
    }

    /// <summary>When the last occurrence happened; <see cref="OccurredAt"/> for a single one.</summary>
    public DateTimeOffset LastOccurredAt
    {
        get => _lastOccurredAt ?? OccurredAt;
        init => _lastOccurredAt = value == OccurredAt ? null : value;
    }

    /// <summary>Which part of the trail the event belongs to (see <see cref="AuditKinds.Of"/>).</summary>
    public AuditKind Kind => AuditKinds.Of(Action, Outcome, Actor);
}
