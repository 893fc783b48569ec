using System.Text.Json;
using System.Text.Json.Serialization;

namespace CryptoSecure.Benchmarks.Reference;

/// <summary>
/// Source-generated JSON for the reference's bodies: the slim builder has no reflection fallback,
/// and camelCase matches the server's contracts.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PlaintextBody))]
[JsonSerializable(typeof(CiphertextBody))]
[JsonSerializable(typeof(CiphertextAnswer))]
[JsonSerializable(typeof(PlaintextAnswer))]
[JsonSerializable(typeof(BareAnswer))]
internal sealed partial class ReferenceJson : JsonSerializerContext;

/// <summary>The encrypt request, as the server reads it.</summary>
internal sealed record PlaintextBody(string? Plaintext);

/// <summary>The decrypt request.</summary>
internal sealed record CiphertextBody(string? Ciphertext);

/// <summary>The server's encrypt answer.</summary>
internal sealed record CiphertextAnswer(string Ciphertext, string Format, int KeyVersion);

/// <summary>The server's decrypt answer.</summary>
internal sealed record PlaintextAnswer(string? Plaintext, string PlaintextBase64, int KeyVersion);

/// <summary>The fixed answer of the bare GET (the shape of /health/live's).</summary>
internal sealed record BareAnswer(string Status);
