using System.Text.Json.Serialization;
using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>Prototype encryption request.</summary>
/// <param name="Plaintext">Text to encrypt (UTF-8, at most the key's RSA-OAEP limit).</param>
public sealed record PlaintextMessage([property: JsonPropertyName("plaintext")][Secret] string? Plaintext)
{
    /// <inheritdoc />
    public override string ToString() => "PlaintextMessage";
}
