using System.Text.Json.Serialization;
using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>Prototype ciphertext: lowercase hex of raw RSA-OAEP-SHA256.</summary>
/// <param name="Ciphertext">Hex.</param>
public sealed record CiphertextMessage([property: JsonPropertyName("ciphertext")][Secret] string? Ciphertext)
{
    /// <inheritdoc />
    public override string ToString() => "CiphertextMessage";
}
