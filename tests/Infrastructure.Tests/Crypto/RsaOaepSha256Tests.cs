using System.Security.Cryptography;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

public sealed class RsaOaepSha256Tests
{
    [Fact]
    public void Ciphertext_decrypts_back_to_the_plaintext()
    {
        using var rsa = TestKeys.Rsa2048();
        var plaintext = "hello"u8.ToArray();

        var ciphertext = RsaOaepSha256.Encrypt(rsa.ExportSubjectPublicKeyInfo(), plaintext);

        ciphertext.Should().HaveCount(256);
        RsaOaepSha256.TryDecrypt(rsa, ciphertext).Should().Equal(plaintext);
    }

    [Fact]
    public void Ciphertext_is_standard_OAEP_SHA256_with_the_empty_label()
    {
        // What Python's cryptography does with OAEP(MGF1(SHA256), SHA256, label=None).
        using var rsa = TestKeys.Rsa2048();

        var ciphertext = RsaOaepSha256.Encrypt(rsa.ExportSubjectPublicKeyInfo(), "hello"u8);

        rsa.Decrypt(ciphertext, RSAEncryptionPadding.OaepSHA256).Should().Equal("hello"u8.ToArray());
    }

    [Fact]
    public void Encryption_is_randomized()
    {
        using var rsa = TestKeys.Rsa2048();
        var spki = rsa.ExportSubjectPublicKeyInfo();

        RsaOaepSha256.Encrypt(spki, "same"u8).Should().NotEqual(RsaOaepSha256.Encrypt(spki, "same"u8));
    }

    [Fact]
    public void RSA_2048_takes_at_most_190_bytes()
    {
        using var rsa = TestKeys.Rsa2048();
        var spki = rsa.ExportSubjectPublicKeyInfo();
        var longest = RandomNumberGenerator.GetBytes(190);

        RsaOaepSha256.TryDecrypt(rsa, RsaOaepSha256.Encrypt(spki, longest)).Should().Equal(longest);
        var tooLong = () => RsaOaepSha256.Encrypt(spki, new byte[191]);
        tooLong.Should().Throw<CryptographicException>();
    }

    [Fact]
    public void PKCS1_v1_5_ciphertext_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        var ciphertext = rsa.Encrypt("hello"u8.ToArray(), RSAEncryptionPadding.Pkcs1);

        RsaOaepSha256.TryDecrypt(rsa, ciphertext).Should().BeNull();
    }

    [Fact]
    public void OAEP_with_SHA1_ciphertext_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        var ciphertext = rsa.Encrypt("hello"u8.ToArray(), RSAEncryptionPadding.OaepSHA1);

        RsaOaepSha256.TryDecrypt(rsa, ciphertext).Should().BeNull();
    }

    [Fact]
    public void Ciphertext_for_another_key_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        using var other = TestKeys.OtherRsa2048();

        RsaOaepSha256.TryDecrypt(other, RsaOaepSha256.Encrypt(rsa.ExportSubjectPublicKeyInfo(), "hello"u8)).Should().BeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(257)]
    [InlineData(512)]
    public void Ciphertext_that_is_not_one_modulus_long_is_rejected(int length)
    {
        using var rsa = TestKeys.Rsa2048();

        RsaOaepSha256.TryDecrypt(rsa, new byte[length]).Should().BeNull();
    }

    [Fact]
    public void Ciphertext_of_all_zeros_or_all_ones_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        var ones = new byte[256];
        Array.Fill(ones, (byte)0xFF);

        RsaOaepSha256.TryDecrypt(rsa, new byte[256]).Should().BeNull();
        RsaOaepSha256.TryDecrypt(rsa, ones).Should().BeNull();
    }

    [Fact]
    public void ImportPrivateKey_reads_PKCS8()
    {
        using var rsa = RsaOaepSha256.ImportPrivateKey(TestKeys.Rsa2048Pkcs8);

        rsa.Should().NotBeNull();
        rsa!.ExportSubjectPublicKeyInfo().Should().Equal(TestKeys.SpkiOf(TestKeys.Rsa2048Pkcs8));
    }

    [Fact]
    public void ImportPrivateKey_is_null_for_bytes_that_are_not_an_RSA_private_key()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        RsaOaepSha256.ImportPrivateKey([]).Should().BeNull();
        RsaOaepSha256.ImportPrivateKey(RandomNumberGenerator.GetBytes(1200)).Should().BeNull();
        RsaOaepSha256.ImportPrivateKey(TestKeys.SpkiOf(TestKeys.Rsa2048Pkcs8)).Should().BeNull();
        RsaOaepSha256.ImportPrivateKey(TestKeys.Rsa2048Pkcs8.AsSpan(0, 600)).Should().BeNull();
        RsaOaepSha256.ImportPrivateKey(ec.ExportPkcs8PrivateKey()).Should().BeNull();
    }
}
