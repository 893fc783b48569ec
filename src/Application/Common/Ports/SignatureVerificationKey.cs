namespace CryptoSecure.Application.Common.Ports;

/// <summary>A public signing key a verifier may use.</summary>
/// <param name="PublicKeySpki">SubjectPublicKeyInfo DER of an RSA key.</param>
/// <param name="Algorithm">
/// The one algorithm this key may verify, when it is bound to one (a JWK's "alg"); null allows
/// both PS256 and RS256, which this service's signing keys serve. A JWS whose "alg" differs is invalid.
/// </param>
public sealed record SignatureVerificationKey(ReadOnlyMemory<byte> PublicKeySpki, SignatureAlgorithm? Algorithm = null);
