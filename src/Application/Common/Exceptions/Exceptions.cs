using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>No identity is registered under the address (404).</summary>
public sealed class IdentityNotFoundException() : ClientFacingException(ProblemKind.NotFound, "No identity is registered for this email address.");

/// <summary>The address is already registered (409).</summary>
public sealed class IdentityAlreadyExistsException() : ClientFacingException(ProblemKind.AlreadyExists, "This email address is already registered.");

/// <summary>The key version named does not exist (404).</summary>
public sealed class KeyVersionNotFoundException() : ClientFacingException(ProblemKind.NotFound, "This identity has no key of that version.");

/// <summary>The operation is not allowed for this identity, whoever asks (403). The message is shown to the client.</summary>
public sealed class OperationForbiddenException(string message) : ClientFacingException(ProblemKind.Forbidden, message);

/// <summary>
/// An owner-only operation was asked for with no credential, or one that did not authenticate
/// (401). Nothing was done, and nothing is recorded: strangers cannot fill a trail without a key.
/// </summary>
public sealed class CallerNotAuthenticatedException() : ClientFacingException(ProblemKind.Unauthenticated, Detail)
{
    /// <summary>What the client is told (the HTTP policy's 401 says the same).</summary>
    public const string Detail = "This operation needs the identity's API key: send Authorization: Bearer <apiKey> (or X-Api-Key).";
}

/// <summary>
/// An owner-only operation was asked for with another identity's key (403). Nothing was done; the
/// refusal is counted in the identity's audit trail when the address is registered.
/// </summary>
public sealed class CallerNotOwnerException() : ClientFacingException(ProblemKind.Forbidden, Detail)
{
    /// <summary>What the client is told (the HTTP policy's 403 says the same).</summary>
    public const string Detail = "This API key does not belong to this identity.";
}

/// <summary>
/// A concurrent change won the race for the same identity; the caller re-reads and tries again.
/// Only when its tries run out does it reach the client (409), hence a message for the client.
/// </summary>
public sealed class ConcurrencyConflictException() : ClientFacingException(ProblemKind.ConcurrentChange, "The identity kept changing while this request ran; try again.");

/// <summary>
/// The key store cannot be reached or did not answer in time (503). The message and inner
/// exception are for logs; clients get a fixed text. A write may or may not have happened.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// The service is at capacity for this kind of work (too much key generation waiting, or waiting
/// too long): 503 with Retry-After. Nothing was changed. The message is shown to the client: it is
/// a fixed text with the suggested wait, never internals.
/// </summary>
/// <param name="message">What the client is told.</param>
/// <param name="retryAfter">When trying again is likely to succeed (the Retry-After header).</param>
public sealed class ServiceBusyException(string message, TimeSpan retryAfter) : ClientFacingException(ProblemKind.Busy, message, retryAfter);

/// <summary>
/// A sealed private key did not open: the store was altered or the master key is wrong. Never
/// a client's fault; answered as a generic 500 and logged as critical.
/// </summary>
public sealed class KeyIntegrityException() : Exception("A stored private key failed its integrity check.");

/// <summary>Why a decryption failed: logged as this code, never shown to the client.</summary>
public enum DecryptionFailure
{
    /// <summary>Not a JWE, not base64 of raw bytes.</summary>
    Malformed,

    /// <summary>JWE header not decodable JSON, or with unsupported members.</summary>
    BadHeader,

    /// <summary>JWE "alg"/"enc" other than RSA-OAEP-256/A256GCM.</summary>
    UnsupportedAlgorithm,

    /// <summary>A part has the wrong length (encrypted key, IV, tag, raw ciphertext).</summary>
    WrongLength,

    /// <summary>RSA-OAEP decryption failed (padding, wrong key).</summary>
    RsaDecryptionFailed,

    /// <summary>AES-GCM authentication failed.</summary>
    AuthenticationFailed,

    /// <summary>The ciphertext names a key version that is unknown or below the minimum.</summary>
    VersionNotAllowed,
}

/// <summary>
/// Any decryption failure. Every cause yields this one exception with the same message, and the
/// HTTP layer answers each alike, so the answer reveals nothing about the cause (Manger's attack
/// on OAEP; Wycheproof's InvalidOaepPadding note).
/// </summary>
public sealed class DecryptionFailedException(DecryptionFailure reason) : ClientFacingException(ProblemKind.DecryptionFailed, UniformMessage)
{
    /// <summary>The fixed text of every decryption failure.</summary>
    public const string UniformMessage = "The ciphertext could not be decrypted.";

    /// <summary>The cause, for logs only.</summary>
    public DecryptionFailure Reason { get; } = reason;
}

/// <summary>Helpers for loading an identity or failing with 404.</summary>
public static class IdentityGuards
{
    /// <summary>Returns <paramref name="identity"/> or throws <see cref="IdentityNotFoundException"/>.</summary>
    public static Identity OrNotFound(this Identity? identity) => identity ?? throw new IdentityNotFoundException();
}
