using System.Text.Json.Serialization;

namespace CryptoSecure.Api.Contracts;

/// <summary>Why one batch item failed: the problem the single route would have answered with.</summary>
/// <param name="Type">The problem type (as in the single route's problem answers).</param>
/// <param name="Title">Its fixed title.</param>
/// <param name="Status">The status the single route would have answered with.</param>
/// <param name="Detail">What was wrong with this item (for invalid input, every message).</param>
public sealed record BatchItemError(
    string Type,
    string Title,
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);
