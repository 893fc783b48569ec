using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// RSA keys and identities for crypto tests. Keys are generated once per test run and kept as
/// PKCS#8, so each test imports its own <see cref="RSA"/> instance rather than sharing one across threads.
/// </summary>
internal static class TestKeys
{
    private static readonly Lazy<byte[]> Primary = new(() => Generate(2048));
    private static readonly Lazy<byte[]> Other = new(() => Generate(2048));

    /// <summary>PKCS#8 of the suite's main RSA-2048 key.</summary>
    public static byte[] Rsa2048Pkcs8 => (byte[])Primary.Value.Clone();

    /// <summary>PKCS#8 of a second, unrelated RSA-2048 key.</summary>
    public static byte[] OtherRsa2048Pkcs8 => (byte[])Other.Value.Clone();

    /// <summary>A fresh instance of the main key.</summary>
    public static RSA Rsa2048() => Import(Primary.Value);

    /// <summary>A fresh instance of the second key.</summary>
    public static RSA OtherRsa2048() => Import(Other.Value);

    /// <summary>SubjectPublicKeyInfo of <paramref name="pkcs8"/>.</summary>
    public static byte[] SpkiOf(byte[] pkcs8)
    {
        using var rsa = Import(pkcs8);
        return rsa.ExportSubjectPublicKeyInfo();
    }

    /// <summary>Imports PKCS#8 DER.</summary>
    public static RSA Import(byte[] pkcs8)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return rsa;
    }

    /// <summary>
    /// An RSA private key from a JWK (RFC 7518 §6.3). JWK integers drop leading zero bytes, while
    /// <see cref="RSAParameters"/> wants D as long as the modulus and the CRT values half as long.
    /// </summary>
    public static RSA ImportJwk(JsonElement jwk)
    {
        var n = Field(jwk, "n");
        var half = (n.Length + 1) / 2;
        var parameters = new RSAParameters
        {
            Modulus = n,
            Exponent = Field(jwk, "e"),
            D = LeftPad(Field(jwk, "d"), n.Length),
            P = LeftPad(Field(jwk, "p"), half),
            Q = LeftPad(Field(jwk, "q"), half),
            DP = LeftPad(Field(jwk, "dp"), half),
            DQ = LeftPad(Field(jwk, "dq"), half),
            InverseQ = LeftPad(Field(jwk, "qi"), half),
        };
        var rsa = RSA.Create();
        rsa.ImportParameters(parameters);
        return rsa;
    }

    /// <summary>An identity whose only key version (1) is <paramref name="pkcs8"/>, sealed by <paramref name="protector"/>.</summary>
    public static Identity SealedIdentity(IKeyProtector protector, byte[] pkcs8, string email = "owner@example.com")
    {
        using var rsa = Import(pkcs8);
        var id = Guid.NewGuid();
        var address = EmailAddress.Parse(email);
        var sealedKey = protector.Seal(pkcs8, new KeyBinding(id, address.Normalized, 1));
        var version = new KeyVersion(1, KeySize.FromBits(rsa.KeySize), rsa.ExportSubjectPublicKeyInfo(), sealedKey, DateTimeOffset.UtcNow);
        return Identity.Register(id, address, new ApiKeyHash(RandomNumberGenerator.GetBytes(ApiKeyHash.Length)), exportable: false, version, DateTimeOffset.UtcNow);
    }

    /// <summary>A protector over a fresh random master key.</summary>
    public static AesGcmKeyProtector NewProtector() => new(new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.Length)));

    private static byte[] Generate(int bits)
    {
        using var rsa = RSA.Create(bits);
        return rsa.ExportPkcs8PrivateKey();
    }

    private static byte[] Field(JsonElement jwk, string name) => Base64Url.DecodeFromChars(jwk.GetProperty(name).GetString());

    private static byte[] LeftPad(byte[] value, int length)
    {
        if (value.Length >= length)
        {
            return value;
        }

        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    /// <summary>A JWE of <paramref name="plaintext"/> to the public key <paramref name="publicKeySpki"/> (SPKI DER).</summary>
    public static string JweTo(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> publicKeySpki, string keyId)
    {
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKeySpki, out _);
        return JweCompact.Encrypt(plaintext, rsa, keyId);
    }
}
