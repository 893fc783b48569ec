using System.Security.Cryptography;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

public sealed class RsaPublicKeyDerTests
{
    [Theory]
    [InlineData(2048)]
    [InlineData(3072)]
    [InlineData(4096)]
    public void Reads_the_same_modulus_and_exponent_as_OpenSSL_exports(int bits)
    {
        using var rsa = RSA.Create(bits);
        var expected = rsa.ExportParameters(includePrivateParameters: false);

        var (modulus, exponent) = RsaPublicKeyDer.Read(rsa.ExportSubjectPublicKeyInfo());

        modulus.Should().Equal(expected.Modulus);
        exponent.Should().Equal(expected.Exponent);
    }

    [Fact]
    public void An_exponent_other_than_65537_comes_out_without_leading_zeros()
    {
        // e = 3 (a Wycheproof signature vector key uses it); DER writes it as one byte.
        using var other = RSA.Create(2048);
        var parameters = new RSAParameters { Modulus = other.ExportParameters(false).Modulus, Exponent = [0x03] };
        using var rsa = RSA.Create();
        rsa.ImportParameters(parameters);

        RsaPublicKeyDer.Read(rsa.ExportSubjectPublicKeyInfo()).Exponent.Should().Equal(0x03);
    }

    public static TheoryData<string, byte[]> NotAnRsaSpki()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = rsa.ExportSubjectPublicKeyInfo();
        return new()
        {
            { "PKCS#1 RSAPublicKey without the SPKI wrapper", rsa.ExportRSAPublicKey() },
            { "an EC key", ec.ExportSubjectPublicKeyInfo() },
            { "truncated", spki[..^1] },
            { "trailing bytes", [.. spki, 0x00] },
            { "empty", [] },
        };
    }

    [Theory]
    [MemberData(nameof(NotAnRsaSpki))]
    public void Anything_but_an_RSA_SubjectPublicKeyInfo_is_refused(string what, byte[] der)
    {
        var read = () => RsaPublicKeyDer.Read(der);

        read.Should().Throw<CryptographicException>(what);
    }
}
