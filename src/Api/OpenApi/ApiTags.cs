namespace CryptoSecure.Api.OpenApi;

/// <summary>The OpenAPI document's tags (one per controller, named by its [Tags]) and their descriptions.</summary>
public static class ApiTags
{
    /// <summary>Registration, deletion and the audit trail.</summary>
    public const string Identities = "Identities";

    /// <summary>The key-ring operations.</summary>
    public const string Keys = "Keys";

    /// <summary>Encryption, decryption and rewrap.</summary>
    public const string Encryption = "Encryption";

    /// <summary>Signing and verification.</summary>
    public const string Signatures = "Signatures";

    /// <summary>Batches of encryptions, decryptions, signatures and verifications.</summary>
    public const string Batch = "Batch";

    /// <summary>Operating the service: master key rotation, backups.</summary>
    public const string Admin = "Admin";

    /// <summary>The prototype's four routes.</summary>
    public const string Prototype = "Prototype (compatibility)";

    /// <summary>Each tag's description, in the order Swagger UI shows them.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Descriptions { get; } =
    [
        new(Identities, "Register an email address (the answer holds the API key, shown once), delete it with its keys, read its audit trail."),
        new(Keys, "An identity's key ring: public keys (anyone), private-key export, rotation and the minimum decryption version (owner or admin)."),
        new(Encryption, "Encrypt to an identity (anyone; JWE or raw RSA-OAEP), decrypt and rewrap (owner or admin). Every decryption failure gets one and the same answer."),
        new(Signatures, "Sign with an identity's signing key (owner or admin; JWS or raw, PS256 or RS256, a payload or its SHA-256 digest) and verify its signatures (anyone). A signature that does not verify is valid: false, not an error."),
        new(Batch, "Many encryptions, decryptions, signatures or verifications in one request: each item is the single route's body, answered in order with the single route's answer or its error alone. One bad item never fails the others; who may call is as for the single route."),
        new(Admin, "Operating the service (admin key only): where a master key rotation stands, and an online backup of the SQLite store (private keys stay sealed in it)."),
        new(Prototype, "Deprecated: the Flask prototype's four routes, kept only for compatibility with its old clients (same paths, snake_case bodies, hex ciphertexts, errors as {\"error\": \"...\"}). New clients use the v1 routes."),
    ];
}
