namespace CryptoSecure.Application.Common.Ports;

/// <summary>How a signature is written.</summary>
public enum SignatureFormat
{
    /// <summary>JWS compact serialization (RFC 7515 §7.1) with the payload attached and "alg"/"kid" protected.</summary>
    Jws,

    /// <summary>
    /// Standard base64 of the bare RSASSA signature over SHA-256 of the payload (or over a given
    /// SHA-256 digest), as <c>openssl pkeyutl</c> and Python's <c>cryptography</c> make and check it.
    /// </summary>
    Raw,
}
