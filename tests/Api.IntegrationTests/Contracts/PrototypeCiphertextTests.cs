using CryptoSecure.Api.Contracts;
using CryptoSecure.Domain.Encryption;

namespace CryptoSecure.Api.IntegrationTests.Contracts;

/// <summary>The prototype's hex, converted at its routes' edge into the v1 text the use cases read.</summary>
public sealed class PrototypeCiphertextTests
{
    private static readonly byte[] RawBytes = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x10, 0xAB];

    [Theory]
    [InlineData("00017f80feff10ab")]
    [InlineData("00017F80FEFF10AB")]
    [InlineData("  00017f80feff10ab\n")]
    public void Hex_becomes_the_base64_of_the_same_raw_bytes(string hex)
    {
        var text = PrototypeCiphertext.FromHex(hex);

        text.Should().Be(Convert.ToBase64String(RawBytes));
        Ciphertext.TryParse(text, out var ciphertext).Should().BeTrue();
        ciphertext.Should().BeOfType<RsaOaepCiphertext>().Which.Bytes.ToArray().Should().Equal(RawBytes);
    }

    [Fact]
    public void A_raw_ciphertext_is_written_as_lowercase_hex()
    {
        PrototypeCiphertext.ToHex(new RsaOaepCiphertext(RawBytes)).Should().Be("00017f80feff10ab");
    }

    [Fact]
    public void A_JWE_has_no_hex_form()
    {
        var act = () => PrototypeCiphertext.ToHex(new JweCiphertext("a.b.c.d.e"));

        act.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zz")]
    [InlineData("0x00")]
    [InlineData("ab cd")]
    [InlineData("zzzz")]
    [InlineData("AAEC+w==")]
    [InlineData("a.b.c.d.e")]
    public void Text_that_is_not_hex_becomes_text_the_v1_reader_rejects_whatever_it_would_have_meant_there(string notHex)
    {
        // "zzzz", "AAEC+w==" and a JWE are valid v1 ciphertexts: passing them on would let the
        // prototype's route decrypt what its contract never accepted.
        var text = PrototypeCiphertext.FromHex(notHex);

        text.Should().Be(PrototypeCiphertext.NotHex);
        Ciphertext.TryParse(text, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("   ", "   ")]
    public void A_missing_ciphertext_stays_missing_for_the_validator_to_say_so(string? hex, string expected)
    {
        PrototypeCiphertext.FromHex(hex).Should().Be(expected);
    }
}
