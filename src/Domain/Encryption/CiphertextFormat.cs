namespace CryptoSecure.Domain.Encryption;

/// <summary>How a ciphertext is built.</summary>
public enum CiphertextFormat
{
    /// <summary>JWE compact serialization (RFC 7516), RSA-OAEP-256 + A256GCM.</summary>
    Jwe,

    /// <summary>Raw RSA-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017), as the prototype made.</summary>
    RsaOaep,
}
