using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>A ciphertext to decrypt (or rewrap); the format is detected.</summary>
/// <param name="Ciphertext">A JWE compact serialization, or base64 of raw RSA-OAEP.</param>
public sealed record CiphertextRequest([Secret] string? Ciphertext)
{
    /// <inheritdoc />
    public override string ToString() => "CiphertextRequest";
}
