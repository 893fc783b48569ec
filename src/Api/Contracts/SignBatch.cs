using System.Text.Json.Serialization;
using CryptoSecure.Domain;

namespace CryptoSecure.Api.Contracts;

/// <summary>Items to sign, each the body the single route takes.</summary>
/// <param name="Items">Between one and the server's Batch:MaxItems (default 1000) items.</param>
public sealed record SignBatchRequest(IReadOnlyList<SignRequest>? Items = null)
{
    /// <inheritdoc />
    public override string ToString() => $"SignBatchRequest {{ Items = {Items?.Count} }}";
}

/// <summary>One answer per item, in the items' order.</summary>
/// <param name="Items">Each item's answer or error.</param>
public sealed record SignBatchResponse(IReadOnlyList<SignBatchItem> Items);

/// <summary>One item's answer: what the single route answers (<see cref="SignatureResponse"/>), or its error alone.</summary>
/// <param name="Signature">JWS compact serialization, or standard base64 of the raw signature.</param>
/// <param name="Format">"jws" or "raw".</param>
/// <param name="Algorithm">"PS256" or "RS256".</param>
/// <param name="KeyVersion">The key version whose signing key signed.</param>
/// <param name="Error">Why this item failed (the single route's problem); absent on success.</param>
public sealed record SignBatchItem(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)][Secret] string? Signature,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Format,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Algorithm,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? KeyVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BatchItemError? Error)
{
    /// <inheritdoc />
    public override string ToString() => $"SignBatchItem {{ Format = {Format}, Algorithm = {Algorithm}, KeyVersion = {KeyVersion}, Error = {Error?.Status} }}";
}
