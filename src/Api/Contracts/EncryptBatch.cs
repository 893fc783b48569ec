using System.Text.Json.Serialization;
using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>Items to encrypt, each the body the single route takes.</summary>
/// <param name="Items">Between one and the server's Batch:MaxItems (default 1000) items.</param>
public sealed record EncryptBatchRequest(IReadOnlyList<EncryptRequest>? Items = null)
{
    /// <inheritdoc />
    public override string ToString() => $"EncryptBatchRequest {{ Items = {Items?.Count} }}";
}

/// <summary>One answer per item, in the items' order.</summary>
/// <param name="Items">Each item's answer or error.</param>
public sealed record EncryptBatchResponse(IReadOnlyList<EncryptBatchItem> Items);

/// <summary>One item's answer: what the single route answers (<see cref="CiphertextResponse"/>), or its error alone.</summary>
/// <param name="Ciphertext">JWE compact serialization, or standard base64 of raw RSA-OAEP.</param>
/// <param name="Format">"jwe" or "rsa-oaep".</param>
/// <param name="KeyVersion">The key version used.</param>
/// <param name="Error">Why this item failed (the single route's problem); absent on success.</param>
public sealed record EncryptBatchItem(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)][Secret] string? Ciphertext,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Format,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? KeyVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BatchItemError? Error)
{
    /// <inheritdoc />
    public override string ToString() => $"EncryptBatchItem {{ Format = {Format}, KeyVersion = {KeyVersion}, Error = {Error?.Status} }}";
}
