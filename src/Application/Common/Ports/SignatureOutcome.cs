namespace CryptoSecure.Application.Common.Ports;

/// <summary>What checking a signature found.</summary>
public enum SignatureOutcome
{
    /// <summary>The signature verifies under the named key.</summary>
    Valid,

    /// <summary>
    /// Well-formed, but it does not verify: wrong key, unknown "kid", tampered header, payload or
    /// signature, wrong length, an algorithm the key may not be used with. An answer ("valid": false),
    /// not an error.
    /// </summary>
    Invalid,

    /// <summary>
    /// Not a signature of a supported kind at all (not a JWS, bad base64, header not JSON, "alg" not
    /// PS256/RS256, no "kid", unknown "crit"): the request is wrong, answered with a 400.
    /// </summary>
    Malformed,
}
