using System.Text;
using CryptoSecure.Application.Common.Ports;

namespace CryptoSecure.Application.UnitTests.TestDoubles;

/// <summary>Renders keys as readable markers so tests can tell which key was formatted.</summary>
internal sealed class FakeKeyFormatter : IKeyFormatter
{
    public static string PublicPemOf(ReadOnlySpan<byte> publicKey) => $"PUBLIC KEY {Encoding.UTF8.GetString(publicKey)}";

    public static string PrivatePemOf(ReadOnlySpan<byte> privateKeyPkcs8) => $"PRIVATE KEY {Encoding.UTF8.GetString(privateKeyPkcs8)}";

    public string PublicKeyPem(ReadOnlySpan<byte> publicKey) => PublicPemOf(publicKey);

    public PublicJsonWebKey PublicJwk(ReadOnlySpan<byte> publicKey, string keyId) =>
        new("RSA", "enc", "RSA-OAEP-256", keyId, Encoding.UTF8.GetString(publicKey), "AQAB");

    public PublicJsonWebKey SigningJwk(ReadOnlySpan<byte> publicKey, string keyId) =>
        new("RSA", "sig", "PS256", keyId, Encoding.UTF8.GetString(publicKey), "AQAB");

    public string PrivateKeyPem(ReadOnlySpan<byte> privateKeyPkcs8) => PrivatePemOf(privateKeyPkcs8);
}
