using System.Text.Json.Serialization;
using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>Prototype registration request.</summary>
/// <param name="Email">The address (the prototype's capitalised field name).</param>
public sealed record TakeUserRequest([property: JsonPropertyName("Email")] string? Email);

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

/// <summary>Prototype encryption request.</summary>
/// <param name="Plaintext">Text to encrypt (UTF-8, at most the key's RSA-OAEP limit).</param>
public sealed record PlaintextMessage([property: JsonPropertyName("plaintext")][Secret] string? Plaintext)
{
    /// <inheritdoc />
    public override string ToString() => "PlaintextMessage";
}

/// <summary>Prototype ciphertext: lowercase hex of raw RSA-OAEP-SHA256.</summary>
/// <param name="Ciphertext">Hex.</param>
public sealed record CiphertextMessage([property: JsonPropertyName("ciphertext")][Secret] string? Ciphertext)
{
    /// <inheritdoc />
    public override string ToString() => "CiphertextMessage";
}

/// <summary>Prototype error body.</summary>
/// <param name="Error">What went wrong.</param>
public sealed record PrototypeError([property: JsonPropertyName("error")] string Error);
