using System.Text.Json.Serialization;
using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>Prototype key read answer.</summary>
/// <param name="Email">The address.</param>
/// <param name="PublicKey">SPKI PEM of the latest version.</param>
/// <param name="PrivateKey">PKCS#8 PEM; only with the owner's (or an admin) API key, and only when exportable.</param>
public sealed record GetKeysResponse(
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("public_key")] string PublicKey,
    [property: JsonPropertyName("private_key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)][Secret] string? PrivateKey)
{
    /// <inheritdoc />
    public override string ToString() => $"GetKeysResponse {{ Email = {Email} }}";
}
