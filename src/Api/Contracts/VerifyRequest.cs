using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>
/// A signature to check: a JWS alone, or a raw signature with exactly one of <c>payload</c>,
/// <c>payloadBase64</c> and <c>digestBase64</c> (what it covers) and optionally its algorithm.
/// </summary>
/// <param name="Signature">A JWS compact serialization, or standard base64 of a raw signature.</param>
/// <param name="Payload">Raw only: the text signed (as UTF-8).</param>
/// <param name="PayloadBase64">Raw only: the bytes signed, base64.</param>
/// <param name="DigestBase64">Raw only: SHA-256 of the bytes signed, base64 of 32 bytes.</param>
/// <param name="Algorithm">Raw only: "PS256" (default) or "RS256"; a JWS names its own.</param>
public sealed record VerifyRequest([Secret] string? Signature = null, [Secret] string? Payload = null, [Secret] string? PayloadBase64 = null, string? DigestBase64 = null, string? Algorithm = null)
{
    /// <inheritdoc />
    public override string ToString() => $"VerifyRequest {{ Algorithm = {Algorithm} }}";
}
