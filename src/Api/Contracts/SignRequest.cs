using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>What to sign: exactly one of <c>payload</c>, <c>payloadBase64</c> and <c>digestBase64</c>.</summary>
/// <param name="Payload">Text, signed as UTF-8.</param>
/// <param name="PayloadBase64">Binary data, base64.</param>
/// <param name="DigestBase64">The SHA-256 digest of the data (base64 of 32 bytes), so a large file need not be uploaded; "raw" format only.</param>
/// <param name="Format">"jws" (default; JWS compact serialization with the payload attached) or "raw" (base64 of the bare signature over the payload's SHA-256).</param>
/// <param name="Algorithm">"PS256" (default; RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32) or "RS256" (RSASSA-PKCS1-v1_5, SHA-256).</param>
public sealed record SignRequest([Secret] string? Payload = null, [Secret] string? PayloadBase64 = null, string? DigestBase64 = null, string? Format = null, string? Algorithm = null)
{
    /// <inheritdoc />
    public override string ToString() => $"SignRequest {{ Format = {Format}, Algorithm = {Algorithm} }}";
}
