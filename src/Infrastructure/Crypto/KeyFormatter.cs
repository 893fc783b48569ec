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
    public PublicJsonWebKey PublicJwk(ReadOnlySpan<byte> publicKey, string keyId)
    {
        using var lease = keys.Rent(publicKey, RsaKeyCache.KeyKind.Public);
        var parameters = lease.Key.ExportParameters(includePrivateParameters: false);
        return new PublicJsonWebKey(
            "RSA",
            "enc",
            JweCompact.Algorithm,
            keyId,
            System.Buffers.Text.Base64Url.EncodeToString(parameters.Modulus),
            System.Buffers.Text.Base64Url.EncodeToString(parameters.Exponent));
    }
}
