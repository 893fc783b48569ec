using System.Text.Json.Serialization;

namespace CryptoSecure.Api.Contracts;

/// <summary>Prototype error body.</summary>
/// <param name="Error">What went wrong.</param>
public sealed record PrototypeError([property: JsonPropertyName("error")] string Error);
