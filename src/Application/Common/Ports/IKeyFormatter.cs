namespace CryptoSecure.Application.Common.Ports;

/// <summary>Renders keys in interchange formats.</summary>
public interface IKeyFormatter
{
    /// <summary>"-----BEGIN PUBLIC KEY-----" PEM of SPKI DER.</summary>
    string PublicKeyPem(ReadOnlySpan<byte> publicKey);

    /// <summary>The public key as a JWK.</summary>
    PublicJsonWebKey PublicJwk(ReadOnlySpan<byte> publicKey, string keyId);

    /// <summary>"-----BEGIN PRIVATE KEY-----" PEM of PKCS#8 DER.</summary>
    string PrivateKeyPem(ReadOnlySpan<byte> privateKeyPkcs8);
}
