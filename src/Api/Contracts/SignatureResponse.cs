using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>A signature.</summary>
/// <remarks>A JWS carries its payload (readable), so it is kept out of logs like a ciphertext.</remarks>
/// <param name="Signature">JWS compact serialization ("kid" names the signing key in the JWK Set), or standard base64 of the raw signature.</param>
/// <param name="Format">"jws" or "raw".</param>
/// <param name="Algorithm">"PS256" or "RS256".</param>
/// <param name="KeyVersion">The key version whose signing key signed (always the latest).</param>
public sealed record SignatureResponse([Secret] string Signature, string Format, string Algorithm, int KeyVersion)
{
    /// <inheritdoc />
    public override string ToString() => $"SignatureResponse {{ Format = {Format}, Algorithm = {Algorithm}, KeyVersion = {KeyVersion} }}";
}
