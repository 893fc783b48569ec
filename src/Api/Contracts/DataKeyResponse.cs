using System.Text.Json.Serialization;
using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>A fresh data key for envelope encryption.</summary>
/// <param name="PlaintextKeyBase64">The key, base64; absent when includePlaintext was false. Use it, then forget it.</param>
/// <param name="Ciphertext">The same key as a JWE to the identity; store it beside the data, and the owner's decrypt gives the key back.</param>
/// <param name="KeyVersion">The key version it is wrapped to.</param>
public sealed record DataKeyResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)][Secret] string? PlaintextKeyBase64,
    [Secret] string Ciphertext,
    int KeyVersion)
{
    /// <inheritdoc />
    public override string ToString() => $"DataKeyResponse {{ KeyVersion = {KeyVersion} }}";
}
