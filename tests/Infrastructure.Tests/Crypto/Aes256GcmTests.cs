using System.Security.Cryptography;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

public sealed class Aes256GcmTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(Aes256Gcm.KeySize);
    private static readonly byte[] Nonce = RandomNumberGenerator.GetBytes(Aes256Gcm.NonceSize);
    private static readonly byte[] Aad = "associated"u8.ToArray();

    [Fact]
    public void Round_trip_returns_the_plaintext()
    {
        var plaintext = "attack at dawn"u8.ToArray();
        var (ciphertext, tag) = Seal(plaintext);
        var opened = new byte[ciphertext.Length];

        Aes256Gcm.TryDecrypt(Key, Nonce, ciphertext, tag, opened, Aad).Should().BeTrue();

        opened.Should().Equal(plaintext);
        ciphertext.Should().NotEqual(plaintext);
    }

    [Fact]
    public void Different_associated_data_fails_and_clears_the_output()
    {
        var (ciphertext, tag) = Seal("attack at dawn"u8.ToArray());
        var opened = Filled(ciphertext.Length);

        Aes256Gcm.TryDecrypt(Key, Nonce, ciphertext, tag, opened, "other"u8).Should().BeFalse();

        opened.Should().NotContain(b => b != 0);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(31)]
    [InlineData(33)]
    public void Decrypt_with_a_key_that_is_not_256_bits_fails(int keyBytes)
    {
        var (ciphertext, tag) = Seal("x"u8.ToArray());

        Aes256Gcm.TryDecrypt(new byte[keyBytes], Nonce, ciphertext, tag, new byte[ciphertext.Length], Aad).Should().BeFalse();
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Decrypt_with_a_nonce_that_is_not_96_bits_fails(int nonceBytes)
    {
        var (ciphertext, tag) = Seal("x"u8.ToArray());

        Aes256Gcm.TryDecrypt(Key, new byte[nonceBytes], ciphertext, tag, new byte[ciphertext.Length], Aad).Should().BeFalse();
    }

    [Fact]
    public void Decrypt_with_a_truncated_tag_fails()
    {
        var (ciphertext, tag) = Seal("x"u8.ToArray());

        Aes256Gcm.TryDecrypt(Key, Nonce, ciphertext, tag.AsSpan(0, 12), new byte[ciphertext.Length], Aad).Should().BeFalse();
    }

    [Fact]
    public void Encrypt_refuses_a_key_that_is_not_256_bits()
    {
        var act = () => Aes256Gcm.Encrypt(new byte[16], Nonce, new byte[1], new byte[1], new byte[Aes256Gcm.TagSize], Aad);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Encrypt_refuses_a_short_tag()
    {
        var act = () => Aes256Gcm.Encrypt(Key, Nonce, new byte[1], new byte[1], new byte[12], Aad);

        act.Should().Throw<ArgumentException>();
    }

    private static (byte[] Ciphertext, byte[] Tag) Seal(byte[] plaintext)
    {
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[Aes256Gcm.TagSize];
        Aes256Gcm.Encrypt(Key, Nonce, plaintext, ciphertext, tag, Aad);
        return (ciphertext, tag);
    }

    private static byte[] Filled(int length)
    {
        var buffer = new byte[length];
        Array.Fill(buffer, (byte)0xA5);
        return buffer;
    }
}
