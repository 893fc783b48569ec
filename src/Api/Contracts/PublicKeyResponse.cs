namespace CryptoSecure.Api.Contracts;

/// <summary>One key version's public keys: the encryption key, and the signing key once it has one.</summary>
/// <param name="Version">Version number.</param>
/// <param name="KeySize">RSA key size (of both keys).</param>
/// <param name="PublicKeyPem">The encryption key, SPKI PEM.</param>
/// <param name="PublicKeyJwk">The same key as a JWK.</param>
/// <param name="CreatedAt">When the version was made.</param>
/// <param name="SigningPublicKeyPem">The signing key, SPKI PEM; null for a version from before signatures existed that has not signed yet.</param>
/// <param name="SigningKeyJwk">The signing key as a JWK ("use": "sig"); null with it.</param>
public sealed record PublicKeyResponse(int Version, int KeySize, string PublicKeyPem, JsonWebKeyResponse PublicKeyJwk, DateTimeOffset CreatedAt, string? SigningPublicKeyPem, JsonWebKeyResponse? SigningKeyJwk);
