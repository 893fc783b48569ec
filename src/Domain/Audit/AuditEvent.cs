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
}

/// <summary>
/// One entry of an identity's append-only audit trail. Carries no plaintext, ciphertext or key
/// material by construction: there is no field to put them in.
/// </summary>
/// <param name="IdentityId">The registration it concerns.</param>
/// <param name="OccurredAt">When.</param>
/// <param name="Action">What.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Actor">Who, by credential kind.</param>
/// <param name="KeyVersion">The key version involved, when one was.</param>
/// <param name="ClientAddress">The client's network address.</param>
/// <param name="RequestId">The request's id, to match with logs.</param>
public sealed record AuditEvent(
    Guid IdentityId,
    DateTimeOffset OccurredAt,
    AuditAction Action,
    AuditOutcome Outcome,
    AuditActor Actor,
    int? KeyVersion,
    string? ClientAddress,
    string? RequestId);

/// <summary>A page of audit events, newest first, with the cursor of the next (older) page.</summary>
/// <param name="Events">The events, newest first.</param>
/// <param name="NextCursor">Opaque cursor for the next page; null on the last page.</param>
public sealed record AuditPage(IReadOnlyList<AuditEvent> Events, string? NextCursor);
