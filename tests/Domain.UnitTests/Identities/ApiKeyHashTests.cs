using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Domain.UnitTests.Identities;

public class ApiKeyHashTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Only_a_32_byte_SHA_256_is_accepted(int length)
    {
        var act = () => new ApiKeyHash(new byte[length]);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Hashes_with_the_same_bytes_are_equal_and_any_differing_byte_makes_them_unequal()
    {
        var bytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var lastByteDiffers = (byte[])bytes.Clone();
        lastByteDiffers[^1] ^= 0x01;

        new ApiKeyHash(bytes).Should().Be(new ApiKeyHash((byte[])bytes.Clone()));
        new ApiKeyHash(bytes).GetHashCode().Should().Be(new ApiKeyHash((byte[])bytes.Clone()).GetHashCode());
        new ApiKeyHash(bytes).Should().NotBe(new ApiKeyHash(lastByteDiffers));
        new ApiKeyHash(bytes).Equals(null).Should().BeFalse();
    }

    [Fact]
    public void ToArray_is_a_copy_that_cannot_alter_the_hash()
    {
        var bytes = new byte[32];
        var hash = new ApiKeyHash(bytes);

        var copy = hash.ToArray();
        copy[0] = 0xFF;

        hash.Bytes[0].Should().Be(0);
    }
}
