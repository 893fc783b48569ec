using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Encryption.Common;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// The whole decryption path with real adapters: a sealed key in an identity's ring, opened by
/// <see cref="AesGcmKeyProtector"/>, used by <see cref="PayloadCipher"/> under Application's <see cref="KeyRingDecryptor"/>.
/// Whatever is wrong with a ciphertext, the caller sees one exception with one message.
/// </summary>
public sealed class ServiceDecryptionTests
{
    private static readonly byte[] Plaintext = "for the owner only"u8.ToArray();

    private readonly AesGcmKeyProtector _protector = TestKeys.NewProtector();
    private readonly PayloadCipher _cipher = new(RsaKeyCache.None);
    private readonly Identity _identity;
    private readonly KeyRingDecryptor _decryptor;

    public ServiceDecryptionTests()
    {
        _identity = TestKeys.SealedIdentity(_protector, TestKeys.Rsa2048Pkcs8);
        _decryptor = Decryptors.Create(_protector, _cipher);
    }

    [Theory]
    [InlineData(CiphertextFormat.Jwe)]
    [InlineData(CiphertextFormat.RsaOaep)]
    public void Ciphertext_to_the_identity_decrypts_with_its_sealed_key(CiphertextFormat format)
    {
        var ciphertext = _cipher.Encrypt(Plaintext, format, _identity.Keys.Latest.PublicKey, _identity.KeyIdOf(1));

        var (plaintext, version) = _decryptor.Decrypt(_identity, ciphertext);

        plaintext.Should().Equal(Plaintext);
        version.Should().Be(1);
    }

    [Fact]
    public void Tampered_jwe_fails_with_the_uniform_error()
    {
        var jwe = TestKeys.JweTo(Plaintext, _identity.Keys.Latest.PublicKey, _identity.KeyIdOf(1));

        for (var part = 1; part < 5; part++)
        {
            AssertUniformFailure(new JweCiphertext(JweCrafter.FlipCharacter(jwe, part, 0)));
        }
    }

    [Fact]
    public void Raw_ciphertext_of_the_wrong_length_fails_with_the_uniform_error()
    {
        AssertUniformFailure(new RsaOaepCiphertext(new byte[100]));
        AssertUniformFailure(new RsaOaepCiphertext([]));
    }

    [Fact]
    public void Raw_ciphertext_for_another_key_fails_with_the_uniform_error()
    {
        AssertUniformFailure(new RsaOaepCiphertext(RsaOaepSha256.Encrypt(TestKeys.SpkiOf(TestKeys.OtherRsa2048Pkcs8), Plaintext)));
    }

    [Fact]
    public void Jwe_for_another_key_fails_with_the_uniform_error()
    {
        AssertUniformFailure(new JweCiphertext(TestKeys.JweTo(Plaintext, TestKeys.SpkiOf(TestKeys.OtherRsa2048Pkcs8), _identity.KeyIdOf(1))));
    }

    [Fact]
    public void Jwe_with_alg_RSA1_5_fails_with_the_uniform_error()
    {
        using var rsa = TestKeys.Rsa2048();

        AssertUniformFailure(new JweCiphertext(JweCrafter.Craft("""{"alg":"RSA1_5","enc":"A256GCM"}""", Plaintext, rsa, RSAEncryptionPadding.Pkcs1)));
    }

    [Theory]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"#"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256#","enc":"A256GCM"}""")]
    public void Jwe_whose_header_is_not_UTF8_fails_with_the_uniform_error(string header)
    {
        using var rsa = TestKeys.Rsa2048();

        AssertUniformFailure(new JweCiphertext(JweCrafter.Craft(JweCompactTests.WithInvalidUtf8(header), Plaintext, rsa)));
    }

    [Fact]
    public void A_sealed_key_copied_into_another_identity_does_not_open()
    {
        var other = Identity.Register(
            Guid.NewGuid(),
            EmailAddress.Parse("thief@example.com"),
            new ApiKeyHash(RandomNumberGenerator.GetBytes(ApiKeyHash.Length)),
            exportable: false,
            _identity.Keys.Latest with { },
            DateTimeOffset.UtcNow);
        var ciphertext = _cipher.Encrypt(Plaintext, CiphertextFormat.RsaOaep, other.Keys.Latest.PublicKey, other.KeyIdOf(1));

        var act = () => _decryptor.Decrypt(other, ciphertext);

        act.Should().Throw<KeyIntegrityException>();
    }

    [Fact]
    public void Each_key_version_decrypts_its_own_jwe()
    {
        var secondPkcs8 = TestKeys.OtherRsa2048Pkcs8;
        var sealedSecond = _protector.Seal(secondPkcs8, new KeyBinding(_identity.Id, _identity.Email.Normalized, 2));
        var second = new KeyVersion(2, KeySize.Rsa2048, TestKeys.SpkiOf(secondPkcs8), sealedSecond, DateTimeOffset.UtcNow);
        var rotated = Identity.Restore(_identity.Id, _identity.Email, _identity.ApiKeyHash, false, _identity.CreatedAt, 2, new KeyRing([_identity.Keys.Latest, second], 1));

        foreach (var version in new[] { 1, 2 })
        {
            var jwe = _cipher.Encrypt(Plaintext, CiphertextFormat.Jwe, rotated.Keys.Find(version)!.PublicKey, rotated.KeyIdOf(version));
            var (plaintext, opened) = _decryptor.Decrypt(rotated, jwe);
            plaintext.Should().Equal(Plaintext);
            opened.Should().Be(version);
        }
    }

    private void AssertUniformFailure(Ciphertext ciphertext)
    {
        var act = () => _decryptor.Decrypt(_identity, ciphertext);

        act.Should().ThrowExactly<DecryptionFailedException>()
            .Which.Message.Should().Be(DecryptionFailedException.UniformMessage);
    }
}
