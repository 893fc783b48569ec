namespace CryptoSecure.Api.Security;

/// <summary>
/// Marks an action that names an identity in its route yet is open to anyone, by design (reading
/// public keys, encrypting to an identity). Every other route naming an identity must be owner-only:
/// the OwnerOrAdmin policy, and a message marked IOwnerOnly. A test reads the running app's routes
/// and fails on any that is neither, so opening a route is a visible, reviewed choice.
/// </summary>
/// <param name="reason">Why anyone may call it.</param>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class PublicOperationAttribute(string reason) : Attribute
{
    /// <summary>Why anyone may call it.</summary>
    public string Reason { get; } = reason;
}
