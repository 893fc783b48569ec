using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Infrastructure.Crypto;
using Jose;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// The JWEs are standard: jose-jwt (an independent JOSE implementation) opens ours with the exported
/// private key, and ours open what it makes for RSA-OAEP-256 + A256GCM.
/// </summary>
public sealed class JoseInteropTests
{
    private const string Payload = """{"message":"interoperable ✓"}""";

    [Fact]
    public void JweCompact_output_decrypts_with_jose_jwt()
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = TestKeys.JweTo(Encoding.UTF8.GetBytes(Payload), rsa.ExportSubjectPublicKeyInfo(), "kid-1");

        JWT.Decode(jwe, rsa).Should().Be(Payload);
        JWT.Headers(jwe).Should().Contain("kid", "kid-1");
    }

    [Fact]
    public void JweCompact_output_with_empty_plaintext_decrypts_with_jose_jwt()
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = TestKeys.JweTo([], rsa.ExportSubjectPublicKeyInfo(), "kid-1");

        JWT.DecodeBytes(jwe, rsa).Should().BeEmpty();
    }

    [Fact]
    public void Jose_jwt_RSA_OAEP_256_A256GCM_output_decrypts_with_JweCompact()
    {
        using var rsa = TestKeys.Rsa2048();
        using var publicKey = PublicOnly(rsa);

        var jwe = JWT.Encode(Payload, publicKey, JweAlgorithm.RSA_OAEP_256, JweEncryption.A256GCM);

        JweCompact.TryDecrypt(jwe, rsa, out _).Should().Equal(Encoding.UTF8.GetBytes(Payload));
    }

    [Fact]
    public void Jose_jwt_output_with_extra_headers_decrypts_and_exposes_its_kid()
    {
        using var rsa = TestKeys.Rsa2048();
        using var publicKey = PublicOnly(rsa);
        var headers = new Dictionary<string, object> { ["kid"] = "their-kid", ["typ"] = "JWE", ["cty"] = "text/plain" };

        var jwe = JWT.Encode(Payload, publicKey, JweAlgorithm.RSA_OAEP_256, JweEncryption.A256GCM, extraHeaders: headers);

        JweCompact.ReadKeyId(jwe).Should().Be("their-kid");
        JweCompact.TryDecrypt(jwe, rsa, out _).Should().Equal(Encoding.UTF8.GetBytes(Payload));
    }

    [Fact]
    public void Jose_jwt_output_with_DEFLATE_compression_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        using var publicKey = PublicOnly(rsa);

        var jwe = JWT.Encode(Payload, publicKey, JweAlgorithm.RSA_OAEP_256, JweEncryption.A256GCM, JweCompression.DEF);

        JweCompact.TryDecrypt(jwe, rsa, out _).Should().BeNull();
    }

    [Theory]
    [InlineData(JweAlgorithm.RSA1_5, JweEncryption.A256GCM)]
    [InlineData(JweAlgorithm.RSA_OAEP, JweEncryption.A256GCM)]
    [InlineData(JweAlgorithm.RSA_OAEP_256, JweEncryption.A128GCM)]
    [InlineData(JweAlgorithm.RSA_OAEP_256, JweEncryption.A256CBC_HS512)]
    public void Jose_jwt_output_with_another_algorithm_pair_is_rejected(JweAlgorithm alg, JweEncryption enc)
    {
        using var rsa = TestKeys.Rsa2048();
        using var publicKey = PublicOnly(rsa);

        var jwe = JWT.Encode(Payload, publicKey, alg, enc);

        JweCompact.TryDecrypt(jwe, rsa, out _).Should().BeNull();
    }

    [Fact]
    public void PayloadCipher_jwe_made_from_stored_SPKI_decrypts_with_jose_jwt_and_the_exported_PKCS8()
    {
        var pkcs8 = TestKeys.Rsa2048Pkcs8;
        var ciphertext = new PayloadCipher(RsaKeyCache.None).Encrypt(Encoding.UTF8.GetBytes(Payload), CiphertextFormat.Jwe, TestKeys.SpkiOf(pkcs8), "kid-7");

        using var exported = RSA.Create();
        exported.ImportPkcs8PrivateKey(pkcs8, out _);

        JWT.Decode(ciphertext.Encode(), exported).Should().Be(Payload);
    }

    [Fact]
    public void Jose_jwt_output_decrypts_with_PayloadCipher_and_the_stored_PKCS8()
    {
        var pkcs8 = TestKeys.Rsa2048Pkcs8;
        using var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(TestKeys.SpkiOf(pkcs8), out _);
        var jwe = JWT.Encode(Payload, publicKey, JweAlgorithm.RSA_OAEP_256, JweEncryption.A256GCM);

        var opened = new PayloadCipher(RsaKeyCache.None).TryDecrypt(new JweCiphertext(jwe), pkcs8, out var plaintext, out _);

        opened.Should().BeTrue();
        plaintext.Should().Equal(Encoding.UTF8.GetBytes(Payload));
    }

    private static RSA PublicOnly(RSA rsa)
    {
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _);
        return publicKey;
    }
}
