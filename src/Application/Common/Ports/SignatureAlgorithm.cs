namespace CryptoSecure.Application.Common.Ports;

/// <summary>The two RSA signature schemes the service signs and verifies with, by their JOSE names (RFC 7518 §3.1).</summary>
/// <remarks>
/// An allow-list (RFC 8725 §3.1): no HMAC (so a public key can never be used as an HMAC secret),
/// no "none", no other hash. Both use SHA-256 for the message and, for PSS, for MGF1.
/// </remarks>
public enum SignatureAlgorithm
{
    /// <summary>RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 7518 §3.5, RFC 8017 §8.1); the default.</summary>
    PS256,

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3, RFC 8017 §8.2), for verifiers that know nothing newer.</summary>
    RS256,
}
