using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>A ciphertext.</summary>
/// <param name="Ciphertext">JWE compact serialization, or standard base64 of raw RSA-OAEP.</param>
/// <param name="Format">"jwe" or "rsa-oaep".</param>
/// <param name="KeyVersion">The key version used.</param>
public sealed record CiphertextResponse([Secret] string Ciphertext, string Format, int KeyVersion)
{
    /// <inheritdoc />
    public override string ToString() => $"CiphertextResponse {{ Format = {Format}, KeyVersion = {KeyVersion} }}";
}
