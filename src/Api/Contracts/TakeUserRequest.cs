using System.Text.Json.Serialization;

namespace CryptoSecure.Api.Contracts;

/// <summary>Prototype registration request.</summary>
/// <param name="Email">The address (the prototype's capitalised field name).</param>
public sealed record TakeUserRequest([property: JsonPropertyName("Email")] string? Email);
