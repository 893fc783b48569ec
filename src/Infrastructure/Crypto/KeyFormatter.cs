using System.Security.Cryptography;
using CryptoSecure.Application.Common.Ports;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>Renders keys as PEM (RFC 7468) and JWK (RFC 7517, RFC 7518 §6.3.1).</summary>
/// <param name="keys">Imported keys kept between requests: a key ring's JWKs are rendered on every public read.</param>
public sealed class KeyFormatter(RsaKeyCache keys) : IKeyFormatter
{
    /// <inheritdoc />
    public string PublicKeyPem(ReadOnlySpan<byte> publicKey) => PemEncoding.WriteString("PUBLIC KEY", publicKey);

    /// <inheritdoc />
    public string PrivateKeyPem(ReadOnlySpan<byte> privateKeyPkcs8) => PemEncoding.WriteString("PRIVATE KEY", privateKeyPkcs8);

    /// <inheritdoc />
    public PublicJsonWebKey PublicJwk(ReadOnlySpan<byte> publicKey, string keyId) => Jwk(publicKey, keyId, "enc", JweCompact.Algorithm);

    /// <inheritdoc />
    public PublicJsonWebKey SigningJwk(ReadOnlySpan<byte> publicKey, string keyId) => Jwk(publicKey, keyId, "sig", nameof(SignatureAlgorithm.PS256));

    private PublicJsonWebKey Jwk(ReadOnlySpan<byte> publicKey, string keyId, string use, string algorithm)
    {
        using var lease = keys.Rent(publicKey, RsaKeyCache.KeyKind.Public);
        var parameters = lease.Key.ExportParameters(includePrivateParameters: false);
        return new PublicJsonWebKey(
            "RSA",
            use,
            algorithm,
            keyId,
            System.Buffers.Text.Base64Url.EncodeToString(parameters.Modulus),
            System.Buffers.Text.Base64Url.EncodeToString(parameters.Exponent));
    }
}
