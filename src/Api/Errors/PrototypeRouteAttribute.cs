namespace CryptoSecure.Api.Errors;

/// <summary>
/// Marks the prototype's route group: its errors use the prototype's <c>{"error": "..."}</c> shape
/// and its OpenAPI operations are deprecated. The one place that says which routes are the
/// prototype's (see <see cref="PrototypeRouteGroup"/> for requests routing refuses before an action).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class PrototypeRouteAttribute : Attribute;
