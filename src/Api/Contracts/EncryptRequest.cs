using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>Data to encrypt: exactly one of <c>plaintext</c> and <c>plaintextBase64</c>.</summary>
/// <param name="Plaintext">Text, encrypted as UTF-8.</param>
/// <param name="PlaintextBase64">Binary data, base64.</param>
/// <param name="Format">"jwe" (default; any size up to the server's limit) or "rsa-oaep" (raw RSA-OAEP-SHA256, at most 190/318/446 bytes for 2048/3072/4096-bit keys).</param>
public sealed record EncryptRequest([Secret] string? Plaintext = null, [Secret] string? PlaintextBase64 = null, string? Format = null)
{
    /// <inheritdoc />
    public override string ToString() => $"EncryptRequest {{ Format = {Format} }}";
}
