namespace CryptoSecure.Application.Common.Ports;

/// <summary>
/// Finds the signing key a JWS names by its "kid" (RFC 7515 §4.1.4), or null when there is none
/// (not this identity's, not a signing key, unknown version): the JWS is then invalid.
/// </summary>
/// <remarks>
/// The key comes only from here, never from the JWS itself: "jwk", "jku", "x5c" and "x5u" header
/// members are ignored, since trusting a key the signer supplies proves nothing (RFC 8725 §3.10).
/// The lookup must offer signing keys only; an encryption key is never a verification key.
/// </remarks>
public delegate SignatureVerificationKey? SigningKeyLookup(string keyId);
