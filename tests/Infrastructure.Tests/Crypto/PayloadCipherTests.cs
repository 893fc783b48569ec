using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary><see cref="PayloadCipher"/> with keys as the service stores them: SPKI for the public half, PKCS#8 for the private.</summary>
public sealed class PayloadCipherTests
{
    private static readonly byte[] Plaintext = "payload bytes"u8.ToArray();

    private readonly PayloadCipher _cipher = new(RsaKeyCache.None);
    private readonly byte[] _pkcs8 = TestKeys.Rsa2048Pkcs8;
    private readonly byte[] _spki = TestKeys.SpkiOf(TestKeys.Rsa2048Pkcs8);

    [Theory]
    [InlineData(CiphertextFormat.Jwe)]
    [InlineData(CiphertextFormat.RsaOaep)]
    public void Ciphertext_decrypts_with_the_matching_private_key(CiphertextFormat format)
    {
        var ciphertext = _cipher.Encrypt(Plaintext, format, _spki, "kid-1");

        ciphertext.Format.Should().Be(format);
        _cipher.TryDecrypt(ciphertext, _pkcs8, out var plaintext, out _).Should().BeTrue();
        plaintext.Should().Equal(Plaintext);
    }

    [Theory]
    [InlineData(CiphertextFormat.Jwe)]
    [InlineData(CiphertextFormat.RsaOaep)]
    public void Ciphertext_for_another_key_fails_with_an_empty_plaintext(CiphertextFormat format)
    {
        var ciphertext = _cipher.Encrypt(Plaintext, format, _spki, "kid-1");

        _cipher.TryDecrypt(ciphertext, TestKeys.OtherRsa2048Pkcs8, out var plaintext, out _).Should().BeFalse();
        plaintext.Should().BeEmpty();
    }

    [Fact]
    public void Jwe_names_the_kid_it_was_made_with()
    {
        var jwe = (JweCiphertext)_cipher.Encrypt(Plaintext, CiphertextFormat.Jwe, _spki, "abc-v2");

        _cipher.ReadKeyId(jwe).Should().Be("abc-v2");
    }

    [Fact]
    public void Raw_ciphertext_is_one_modulus_long_and_opens_with_plain_OAEP_SHA256()
    {
        var raw = (RsaOaepCiphertext)_cipher.Encrypt(Plaintext, CiphertextFormat.RsaOaep, _spki, "unused");
        using var rsa = TestKeys.Import(_pkcs8);

        raw.Bytes.Length.Should().Be(256);
        rsa.Decrypt(raw.Bytes.ToArray(), RSAEncryptionPadding.OaepSHA256).Should().Equal(Plaintext);
    }

    [Fact]
    public void Raw_ciphertext_of_the_wrong_length_fails()
    {
        _cipher.TryDecrypt(new RsaOaepCiphertext(new byte[255]), _pkcs8, out var plaintext, out _).Should().BeFalse();
        plaintext.Should().BeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("....")]
    [InlineData("a.b.c.d.e")]
    [InlineData("not a jwe at all")]
    public void Malformed_jwe_fails(string compact)
    {
        _cipher.TryDecrypt(new JweCiphertext(compact), _pkcs8, out var plaintext, out _).Should().BeFalse();
        plaintext.Should().BeEmpty();
    }

    [Fact]
    public void A_private_key_that_does_not_parse_is_an_integrity_failure_not_a_bad_ciphertext()
    {
        var ciphertext = _cipher.Encrypt(Plaintext, CiphertextFormat.Jwe, _spki, "kid-1");

        var act = () => _cipher.TryDecrypt(ciphertext, RandomNumberGenerator.GetBytes(100), out _, out _);

        act.Should().Throw<KeyIntegrityException>();
    }
}
