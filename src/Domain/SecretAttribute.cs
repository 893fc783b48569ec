namespace CryptoSecure.Domain;

/// <summary>
/// Marks what carries a secret (plaintext, ciphertext, private key, API key or its hash), so that
/// tests can find every such member by reflection and check that no ToString prints it. On a type:
/// every instance is secret material, and so is every member of that type. On a parameter or
/// property: that value is. A record prints every member unless told otherwise, so a record with a
/// secret member overrides ToString.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Parameter | AttributeTargets.Property, Inherited = true)]
public sealed class SecretAttribute : Attribute;
