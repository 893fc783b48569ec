using System.Text.Json.Serialization;
using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>Items to decrypt, each the body the single route takes.</summary>
/// <param name="Items">Between one and the server's Batch:MaxItems (default 1000) items.</param>
public sealed record DecryptBatchRequest(IReadOnlyList<CiphertextRequest>? Items = null)
{
    /// <inheritdoc />
    public override string ToString() => $"DecryptBatchRequest {{ Items = {Items?.Count} }}";
}

/// <summary>One answer per item, in the items' order.</summary>
/// <param name="Items">Each item's answer or error.</param>
public sealed record DecryptBatchResponse(IReadOnlyList<DecryptBatchItem> Items);

/// <summary>One item's answer: what the single route answers (<see cref="DecryptResponse"/>), or its error alone.</summary>
/// <param name="Plaintext">The plaintext as text; absent when it is not valid UTF-8.</param>
/// <param name="PlaintextBase64">The plaintext bytes, base64.</param>
/// <param name="KeyVersion">The key version that decrypted it.</param>
/// <param name="Error">Why this item failed (the single route's problem); absent on success.</param>
public sealed record DecryptBatchItem(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)][Secret] string? Plaintext,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)][Secret] string? PlaintextBase64,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? KeyVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BatchItemError? Error)
{
    /// <inheritdoc />
    public override string ToString() => $"DecryptBatchItem {{ KeyVersion = {KeyVersion}, Error = {Error?.Status} }}";
}
