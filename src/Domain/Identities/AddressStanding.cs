namespace CryptoSecure.Domain.Identities;

/// <summary>How far an identity has proven its address, and so who may see and use it.</summary>
public enum AddressStanding
{
    /// <summary>
    /// Registered before email verification existed (schema &lt; 5): usable unless the operator sets
    /// <c>Registration:ExistingIdentities=RequireVerification</c>. Holds its address against new registrations.
    /// </summary>
    Legacy,

    /// <summary>Registered with <c>Registration:EmailVerification=Off</c>: usable at once, not proven. Holds its address.</summary>
    Unverified,

    /// <summary>
    /// Registered with verification required and not verified yet: invisible to everyone but its
    /// owner, and one of possibly several registrations of the address; the first to verify wins.
    /// </summary>
    Pending,

    /// <summary>Its owner entered a code mailed to the address.</summary>
    Verified,
}
