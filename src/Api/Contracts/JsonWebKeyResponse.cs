namespace CryptoSecure.Api.Contracts;

/// <summary>A public RSA key as a JSON Web Key (RFC 7517).</summary>
/// <param name="Kty">"RSA".</param>
/// <param name="Use">"enc" (encryption key) or "sig" (signing key).</param>
/// <param name="Alg">"RSA-OAEP-256" for an encryption key, "PS256" for a signing key (which verifies RS256 signatures too).</param>
/// <param name="Kid">Key id: the "kid" of JWEs made with this version's encryption key ("{id}-v{n}"), or of JWSs made with its signing key ("{id}-sig-v{n}").</param>
/// <param name="N">Modulus, base64url.</param>
/// <param name="E">Exponent, base64url.</param>
public sealed record JsonWebKeyResponse(string Kty, string Use, string Alg, string Kid, string N, string E);
