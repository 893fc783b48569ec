using System.Text.Json.Serialization;
using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>Prototype registration answer.</summary>
/// <param name="Email">The address.</param>
/// <param name="PublicKey">SPKI PEM.</param>
/// <param name="PrivateKey">PKCS#8 PEM; absent when the identity is not exportable.</param>
/// <param name="ApiKey">The owner's API key (shown once).</param>
public sealed record TakeUserResponse(
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("public_key")] string PublicKey,
    [property: JsonPropertyName("private_key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)][Secret] string? PrivateKey,
    [property: JsonPropertyName("api_key")][Secret] string ApiKey)
{
    /// <inheritdoc />
    public override string ToString() => $"TakeUserResponse {{ Email = {Email} }}";
}
