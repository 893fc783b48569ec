namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>The problem types the contract promises (copied, so a change to them fails a test).</summary>
public static class Problems
{
    public const string Validation = "urn:cryptosecure:problem:validation";
    public const string DecryptionFailed = "urn:cryptosecure:problem:decryption-failed";
    public const string NotFound = "urn:cryptosecure:problem:not-found";
    public const string Conflict = "urn:cryptosecure:problem:conflict";
    public const string PendingDeletion = "urn:cryptosecure:problem:pending-deletion";
    public const string Unauthorized = "urn:cryptosecure:problem:unauthorized";
    public const string Forbidden = "urn:cryptosecure:problem:forbidden";

    public const string NotSupported = "urn:cryptosecure:problem:not-supported";
    public const string PayloadTooLarge = "urn:cryptosecure:problem:payload-too-large";
    public const string UnsupportedMediaType = "urn:cryptosecure:problem:unsupported-media-type";
    public const string TooManyRequests = "urn:cryptosecure:problem:too-many-requests";
    public const string Unavailable = "urn:cryptosecure:problem:unavailable";
    public const string Internal = "urn:cryptosecure:problem:internal";
    public const string ClientError = "urn:cryptosecure:problem:client-error";
}
