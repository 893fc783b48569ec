using System.Security.Cryptography;
using CryptoSecure.Application.Common.Ports;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>Renders keys as PEM (RFC 7468) and JWK (RFC 7517, RFC 7518 §6.3.1).</summary>
/// <remarks>JWKs are read straight from the SPKI bytes (<see cref="RsaPublicKeyDer"/>): no key is imported to render one.</remarks>
public sealed class KeyFormatter : IKeyFormatter
{
    /// <inheritdoc />
    public string PublicKeyPem(ReadOnlySpan<byte> publicKey) => PemEncoding.WriteString("PUBLIC KEY", publicKey);

    /// <inheritdoc />
    public string PrivateKeyPem(ReadOnlySpan<byte> privateKeyPkcs8) => PemEncoding.WriteString("PRIVATE KEY", privateKeyPkcs8);

    /// <inheritdoc />
    public PublicJsonWebKey PublicJwk(ReadOnlySpan<byte> publicKey, string keyId) => Jwk(publicKey, keyId, "enc", JweCompact.Algorithm);

    /// <inheritdoc />
    public PublicJsonWebKey SigningJwk(ReadOnlySpan<byte> publicKey, string keyId) => Jwk(publicKey, keyId, "sig", nameof(SignatureAlgorithm.PS256));

    private static PublicJsonWebKey Jwk(ReadOnlySpan<byte> publicKey, string keyId, string use, string algorithm)
    {
        var (modulus, exponent) = RsaPublicKeyDer.Read(publicKey);
        return new PublicJsonWebKey(
            "RSA",
            use,
            algorithm,
            keyId,
            System.Buffers.Text.Base64Url.EncodeToString(modulus),
            System.Buffers.Text.Base64Url.EncodeToString(exponent));
    }
}
