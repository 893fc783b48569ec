namespace CryptoSecure.Application.Common.Ports;

/// <summary>
/// What a signature covers: the payload itself, or its SHA-256 digest computed by the client
/// (prehashed), so a large file need not be uploaded to be signed or verified.
/// </summary>
/// <remarks>
/// Both give the same signature: RSASSA hashes the payload with SHA-256 first (RFC 8017 §9.1.1
/// step 2, §9.2 step 1), and a digest skips only that step. A JWS always carries its payload, so
/// a digest can only be signed or checked in the raw format.
/// </remarks>
public readonly ref struct SignedContent
{
    /// <summary>The length of a SHA-256 digest.</summary>
    public const int Sha256DigestLength = 32;

    private SignedContent(ReadOnlySpan<byte> bytes, bool isSha256Digest)
    {
        Bytes = bytes;
        IsSha256Digest = isSha256Digest;
    }

    /// <summary>The payload, or the digest when <see cref="IsSha256Digest"/>.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>True when <see cref="Bytes"/> is already SHA-256 of the payload.</summary>
    public bool IsSha256Digest { get; }

    /// <summary>The payload, hashed by the signer.</summary>
    public static SignedContent Payload(ReadOnlySpan<byte> payload) => new(payload, isSha256Digest: false);

    /// <summary>A SHA-256 digest of the payload; anything but 32 bytes is refused by the signer.</summary>
    public static SignedContent Sha256Digest(ReadOnlySpan<byte> digest) => new(digest, isSha256Digest: true);
}
