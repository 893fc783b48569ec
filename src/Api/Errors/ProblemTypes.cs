namespace CryptoSecure.Api.Errors;

/// <summary>
/// Stable problem types (RFC 9457 §3.1.1: URNs, since they are identifiers, not pages). Clients
/// switch on these; the tests hold a copy, so changing one fails a test.
/// </summary>
public static class ProblemTypes
{
    /// <summary>Invalid input; comes with an "errors" map.</summary>
    public const string Validation = "urn:cryptosecure:problem:validation";

    /// <summary>Any decryption failure; one body for every cause.</summary>
    public const string DecryptionFailed = "urn:cryptosecure:problem:decryption-failed";

    /// <summary>No such identity, key version or route.</summary>
    public const string NotFound = "urn:cryptosecure:problem:not-found";

    /// <summary>Already registered, or a concurrent change won.</summary>
    public const string Conflict = "urn:cryptosecure:problem:conflict";

    /// <summary>The identity is disabled while its deletion is pending (told only to its owner or an admin).</summary>
    public const string PendingDeletion = "urn:cryptosecure:problem:pending-deletion";

    /// <summary>No or unknown API key.</summary>
    public const string Unauthorized = "urn:cryptosecure:problem:unauthorized";

    /// <summary>Not the owner, or not allowed for this identity.</summary>
    public const string Forbidden = "urn:cryptosecure:problem:forbidden";

    /// <summary>Body too large.</summary>
    public const string PayloadTooLarge = "urn:cryptosecure:problem:payload-too-large";

    /// <summary>Body not JSON.</summary>
    public const string UnsupportedMediaType = "urn:cryptosecure:problem:unsupported-media-type";

    /// <summary>Rate limited.</summary>
    public const string TooManyRequests = "urn:cryptosecure:problem:too-many-requests";

    /// <summary>Key store unavailable, or the server at capacity for CPU-heavy work; always with Retry-After.</summary>
    public const string Unavailable = "urn:cryptosecure:problem:unavailable";

    /// <summary>Anything unexpected; never with details.</summary>
    public const string Internal = "urn:cryptosecure:problem:internal";

    /// <summary>Any other client error (unreadable body, method not allowed…).</summary>
    public const string ClientError = "urn:cryptosecure:problem:client-error";

    /// <summary>The deployment does not do this (the MongoDB store's backup route: use mongodump).</summary>
    public const string NotSupported = "urn:cryptosecure:problem:not-supported";
}
