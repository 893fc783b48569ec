namespace CryptoSecure.Application.Common.Ports;

/// <summary>A public RSA key as a JSON Web Key (RFC 7517/7518 §6.3.1).</summary>
/// <param name="Kty">"RSA".</param>
/// <param name="Use">"enc" or "sig".</param>
/// <param name="Alg">"RSA-OAEP-256" for an encryption key, "PS256" for a signing key.</param>
/// <param name="Kid">The key id JWEs (encryption key) or JWSs (signing key) carry.</param>
/// <param name="N">Modulus, base64url.</param>
/// <param name="E">Public exponent, base64url.</param>
public sealed record PublicJsonWebKey(string Kty, string Use, string Alg, string Kid, string N, string E);
