namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// What kind of refusal a <see cref="ClientFacingException"/> is. The application says what went
/// wrong in its own terms; the HTTP layer's catalogue gives each kind its one answer (problem
/// type, status, title), so a new use case that refuses for a known reason needs no HTTP code.
/// </summary>
public enum ProblemKind
{
    /// <summary>No such identity, or no such key version.</summary>
    NotFound,

    /// <summary>The address is already registered.</summary>
    AlreadyExists,

    /// <summary>Concurrent changes to the identity kept winning; the client may try again.</summary>
    ConcurrentChange,

    /// <summary>The operation needs a credential, and none (or none that authenticated) was sent.</summary>
    Unauthenticated,

    /// <summary>Not allowed for this identity, whoever asks, or not for this caller.</summary>
    Forbidden,

    /// <summary>Any decryption failure, whatever its cause (one answer for all; see <see cref="DecryptionFailedException"/>).</summary>
    DecryptionFailed,

    /// <summary>The server is at capacity for this work; nothing changed and trying later should work.</summary>
    Busy,

    /// <summary>The identity is disabled while its deletion is scheduled; only its state, audit trail and restore remain to its owner.</summary>
    PendingDeletion,

    /// <summary>This deployment cannot do what was asked (a backup route on a store backed up by its own tools).</summary>
    NotSupported,
}
