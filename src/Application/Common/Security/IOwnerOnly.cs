namespace CryptoSecure.Application.Common.Security;

/// <summary>
/// Marks a command or query that only the identity's owner (its API key) or an administrator may
/// send. The rule lives on the message type so it travels with the use case: OwnerOnlyBehaviour
/// refuses everyone else before the handler runs, whatever transport sent the message, and a test
/// finds every marked type by reflection. The HTTP policy on the route is a second check.
/// </summary>
public interface IOwnerOnly
{
    /// <summary>The address of the identity acted on, as sent (the rule normalizes it).</summary>
    string Email { get; }
}
