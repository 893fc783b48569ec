using System.Buffers.Text;
using System.Security.Cryptography;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

public sealed class KeyFormatterTests
{
    private readonly KeyFormatter _formatter = new();
    private readonly byte[] _pkcs8 = TestKeys.Rsa2048Pkcs8;
    private readonly byte[] _spki = TestKeys.SpkiOf(TestKeys.Rsa2048Pkcs8);

    [Fact]
    public void Public_key_PEM_is_SPKI_and_imports_back_to_the_same_key()
    {
        var pem = _formatter.PublicKeyPem(_spki);

        pem.Should().StartWith("-----BEGIN PUBLIC KEY-----").And.Contain("-----END PUBLIC KEY-----");
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        rsa.ExportSubjectPublicKeyInfo().Should().Equal(_spki);
    }

    [Fact]
    public void Private_key_PEM_is_PKCS8_and_imports_back_to_the_same_key()
    {
        var pem = _formatter.PrivateKeyPem(_pkcs8);

        pem.Should().StartWith("-----BEGIN PRIVATE KEY-----").And.Contain("-----END PRIVATE KEY-----");
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        using var original = TestKeys.Import(_pkcs8);
        var imported = rsa.ExportParameters(includePrivateParameters: true);
        var expected = original.ExportParameters(includePrivateParameters: true);
        imported.Modulus.Should().Equal(expected.Modulus);
        imported.D.Should().Equal(expected.D);
        imported.P.Should().Equal(expected.P);
    }

    [Fact]
    public void Public_JWK_carries_the_modulus_and_exponent_in_base64url()
    {
        using var rsa = TestKeys.Import(_pkcs8);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);

        var jwk = _formatter.PublicJwk(_spki, "kid-42");

        jwk.N.Should().Be(Base64Url.EncodeToString(parameters.Modulus));
        jwk.E.Should().Be(Base64Url.EncodeToString(parameters.Exponent)).And.Be("AQAB");
        jwk.N.Should().NotContain("=").And.NotContain("+").And.NotContain("/");
    }

    [Fact]
    public void Public_JWK_names_RSA_OAEP_256_for_encryption_with_the_given_kid()
    {
        var jwk = _formatter.PublicJwk(_spki, "kid-42");

        jwk.Kty.Should().Be("RSA");
        jwk.Alg.Should().Be("RSA-OAEP-256");
        jwk.Use.Should().Be("enc");
        jwk.Kid.Should().Be("kid-42");
    }

    [Fact]
    public void Public_JWK_rebuilds_the_same_public_key()
    {
        var jwk = _formatter.PublicJwk(_spki, "kid-42");

        using var rebuilt = RSA.Create();
        rebuilt.ImportParameters(new RSAParameters { Modulus = Base64Url.DecodeFromChars(jwk.N), Exponent = Base64Url.DecodeFromChars(jwk.E) });

        rebuilt.ExportSubjectPublicKeyInfo().Should().Equal(_spki);
    }
}
