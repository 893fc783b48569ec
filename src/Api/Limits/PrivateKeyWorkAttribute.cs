namespace CryptoSecure.Api.Limits;

/// <summary>
/// Marks a route whose use case does RSA private-key work (decrypt, rewrap, sign, their batches, the
/// prototype's decrypt): when the private-key gate could not take even the cheapest operation from
/// this client, <see cref="PrivateKeyAdmissionMiddleware"/> answers 503 before authentication or any
/// store read. A test checks that the routes marked are exactly those whose use cases use the gate.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PrivateKeyWorkAttribute : Attribute;
