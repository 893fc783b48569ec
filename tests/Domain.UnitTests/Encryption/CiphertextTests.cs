using CryptoSecure.Domain.Encryption;

namespace CryptoSecure.Domain.UnitTests.Encryption;

public class CiphertextTests
{
    private const string Jwe = "eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0.a2V5.aXY.Y3Q.dGFn";
    private static readonly byte[] RawBytes = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x10, 0xAB];

    [Fact]
    public void A_string_with_four_dots_is_read_as_a_JWE_and_encodes_back_unchanged()
    {
        Ciphertext.TryParse(Jwe, out var ciphertext).Should().BeTrue();

        var jwe = ciphertext.Should().BeOfType<JweCiphertext>().Subject;
        jwe.Format.Should().Be(CiphertextFormat.Jwe);
        jwe.Compact.Should().Be(Jwe);
        jwe.Encode().Should().Be(Jwe);
    }

    [Fact]
    public void Surrounding_whitespace_is_not_part_of_the_ciphertext()
    {
        Ciphertext.TryParse($"  {Jwe}\n", out var ciphertext).Should().BeTrue();

        ciphertext.Should().BeOfType<JweCiphertext>().Which.Compact.Should().Be(Jwe);
    }

    [Fact]
    public void Standard_base64_is_read_as_raw_RSA_OAEP_and_encodes_back_to_the_same_base64()
    {
        var base64 = Convert.ToBase64String(RawBytes);

        Ciphertext.TryParse(base64, out var ciphertext).Should().BeTrue();

        var raw = ciphertext.Should().BeOfType<RsaOaepCiphertext>().Subject;
        raw.Format.Should().Be(CiphertextFormat.RsaOaep);
        raw.Bytes.ToArray().Should().Equal(RawBytes);
        raw.Encode().Should().Be(base64);
    }

    [Fact]
    public void A_full_modulus_of_base64_is_read_byte_for_byte()
    {
        var bytes = Enumerable.Range(0, 512).Select(i => (byte)(i * 7)).ToArray();

        Ciphertext.TryParse(Convert.ToBase64String(bytes), out var ciphertext).Should().BeTrue();

        ciphertext.Should().BeOfType<RsaOaepCiphertext>().Which.Bytes.ToArray().Should().Equal(bytes);
    }

    [Fact]
    public void Raw_bytes_encode_as_standard_base64_not_base64url()
    {
        var raw = new RsaOaepCiphertext([0xFB, 0xFF, 0xBF]);

        raw.Encode().Should().Be("+/+/");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not base64!")]
    [InlineData("abc")]
    [InlineData("====")]
    [InlineData("a.b.c")]
    [InlineData("a.b.c.d.e.f")]
    public void Malformed_text_is_not_a_ciphertext(string? text)
    {
        Ciphertext.TryParse(text, out var ciphertext).Should().BeFalse();

        ciphertext.Should().BeNull();
    }

    [Fact]
    public void ToString_gives_the_kind_and_size_but_not_the_content()
    {
        new RsaOaepCiphertext(RawBytes).ToString().Should().Be("RsaOaepCiphertext(8 bytes)");
        new JweCiphertext(Jwe).ToString().Should().Be($"JweCiphertext({Jwe.Length} chars)");
    }
}
