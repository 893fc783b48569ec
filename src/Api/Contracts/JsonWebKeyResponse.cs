namespace CryptoSecure.Api.Contracts;

/// <summary>A public RSA key as a JSON Web Key (RFC 7517).</summary>
/// <param name="Kty">"RSA".</param>
/// <param name="Use">"enc".</param>
/// <param name="Alg">"RSA-OAEP-256".</param>
/// <param name="Kid">Key id; the "kid" of JWEs made with this version.</param>
/// <param name="N">Modulus, base64url.</param>
/// <param name="E">Exponent, base64url.</param>
public sealed record JsonWebKeyResponse(string Kty, string Use, string Alg, string Kid, string N, string E);
