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
