namespace CryptoSecure.Api.Contracts;

/// <summary>One key version's public key.</summary>
/// <param name="Version">Version number.</param>
/// <param name="KeySize">RSA key size.</param>
/// <param name="PublicKeyPem">SPKI PEM.</param>
/// <param name="PublicKeyJwk">The same key as a JWK.</param>
/// <param name="CreatedAt">When the version was made.</param>
public sealed record PublicKeyResponse(int Version, int KeySize, string PublicKeyPem, JsonWebKeyResponse PublicKeyJwk, DateTimeOffset CreatedAt);
