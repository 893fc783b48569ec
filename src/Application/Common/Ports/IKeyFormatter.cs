namespace CryptoSecure.Application.Common.Ports;

/// <summary>Renders keys in interchange formats.</summary>
public interface IKeyFormatter
{
    /// <summary>"-----BEGIN PUBLIC KEY-----" PEM of SPKI DER.</summary>
    string PublicKeyPem(ReadOnlySpan<byte> publicKey);

    /// <summary>An encryption public key as a JWK ("use": "enc", "alg": "RSA-OAEP-256").</summary>
    PublicJsonWebKey PublicJwk(ReadOnlySpan<byte> publicKey, string keyId);

    /// <summary>A signing public key as a JWK ("use": "sig", "alg": "PS256"; it verifies RS256 as well, see ADR-015).</summary>
    PublicJsonWebKey SigningJwk(ReadOnlySpan<byte> publicKey, string keyId);

    /// <summary>"-----BEGIN PRIVATE KEY-----" PEM of PKCS#8 DER.</summary>
    string PrivateKeyPem(ReadOnlySpan<byte> privateKeyPkcs8);
}
