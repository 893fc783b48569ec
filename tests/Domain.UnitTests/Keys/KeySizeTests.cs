using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Domain.UnitTests.Keys;

public class KeySizeTests
{
    [Theory]
    [InlineData(2048, 256, 190)]
    [InlineData(3072, 384, 318)]
    [InlineData(4096, 512, 446)]
    public void Supported_sizes_give_the_RFC_8017_RSA_OAEP_SHA256_plaintext_limit(int bits, int modulusBytes, int maxPlaintext)
    {
        KeySize.IsSupported(bits).Should().BeTrue();

        var size = KeySize.FromBits(bits);

        size.Bits.Should().Be(bits);
        size.ModulusBytes.Should().Be(modulusBytes);
        size.MaxRsaOaepSha256PlaintextBytes.Should().Be(maxPlaintext);
        size.ToString().Should().Be($"RSA-{bits}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2048)]
    [InlineData(512)]
    [InlineData(1024)]
    [InlineData(2047)]
    [InlineData(2049)]
    [InlineData(3071)]
    [InlineData(8192)]
    public void Other_sizes_are_unsupported_and_FromBits_refuses_them(int bits)
    {
        KeySize.IsSupported(bits).Should().BeFalse();

        var act = () => KeySize.FromBits(bits);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("bits");
    }

    [Fact]
    public void All_lists_exactly_the_three_supported_sizes_smallest_first()
    {
        KeySize.All.Select(s => s.Bits).Should().Equal(2048, 3072, 4096);
        KeySize.All.Should().Equal(KeySize.Rsa2048, KeySize.Rsa3072, KeySize.Rsa4096);
    }

    [Fact]
    public void A_size_read_from_bits_equals_the_named_size()
    {
        KeySize.FromBits(3072).Should().Be(KeySize.Rsa3072);
        KeySize.FromBits(3072).Should().NotBe(KeySize.Rsa4096);
    }
}
