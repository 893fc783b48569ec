using System.Text.Json.Serialization;
namespace CryptoSecure.Api.Contracts;

/// <summary>Items to verify, each the body the single route takes.</summary>
/// <param name="Items">Between one and the server's Batch:MaxItems (default 1000) items.</param>
public sealed record VerifyBatchRequest(IReadOnlyList<VerifyRequest>? Items = null)
{
    /// <inheritdoc />
    public override string ToString() => $"VerifyBatchRequest {{ Items = {Items?.Count} }}";
}

/// <summary>One answer per item, in the items' order.</summary>
/// <param name="Items">Each item's answer or error.</param>
public sealed record VerifyBatchResponse(IReadOnlyList<VerifyBatchItem> Items);

/// <summary>One item's answer: what the single route answers (<see cref="VerificationResponse"/>), or its error alone.</summary>
/// <param name="Valid">True when the signature verifies with one of the identity's signing keys.</param>
/// <param name="KeyVersion">The key version whose signing key verified it.</param>
/// <param name="Error">Why this item failed (the single route's problem); absent on success.</param>
public sealed record VerifyBatchItem(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Valid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? KeyVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BatchItemError? Error);
