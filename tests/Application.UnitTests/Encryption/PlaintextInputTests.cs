using System.Text;
using CryptoSecure.Application.Encryption.Common;
using FluentValidation;

namespace CryptoSecure.Application.UnitTests.Encryption;

public class PlaintextInputTests
{
    [Fact]
    public void Text_with_an_unpaired_surrogate_is_rejected_rather_than_silently_replaced()
    {
        // Built at run time: attribute arguments are stored as UTF-8, which cannot hold a lone surrogate.
        string[] inputs = ["abc" + (char)0xD800, (char)0xDC00 + "abc", "a" + (char)0xDBFF + "b"];

        foreach (var plaintext in inputs)
        {
            var act = () => PlaintextInput.Decode(plaintext, null, 1024);

            var failure = act.Should().Throw<ValidationException>().Which.Errors.Should().ContainSingle().Subject;
            failure.PropertyName.Should().Be("plaintext");
            failure.ErrorMessage.Should().Contain("unpaired surrogate").And.Contain("plaintextBase64");
        }
    }

    [Fact]
    public void Text_with_a_properly_paired_surrogate_is_encoded_as_UTF_8()
    {
        PlaintextInput.Decode("key 🔑", null, 1024).Should().Equal(Encoding.UTF8.GetBytes("key 🔑"));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("abc")]
    [InlineData("YWJj=")]
    public void Invalid_base64_is_rejected_on_plaintextBase64(string plaintextBase64)
    {
        var act = () => PlaintextInput.Decode(null, plaintextBase64, 1024);

        var failure = act.Should().Throw<ValidationException>().Which.Errors.Should().ContainSingle().Subject;
        failure.PropertyName.Should().Be("plaintextBase64");
        failure.ErrorMessage.Should().Be("plaintextBase64 is not valid base64.");
    }

    [Fact]
    public void Base64_decodes_to_its_bytes()
    {
        PlaintextInput.Decode(null, "AP+A", 1024).Should().Equal(0x00, 0xFF, 0x80);
    }

    [Fact]
    public void The_limit_counts_UTF_8_bytes_not_characters()
    {
        PlaintextInput.Decode("éé", null, maxBytes: 4).Should().HaveCount(4);

        var act = () => PlaintextInput.Decode("ééé", null, maxBytes: 4);

        act.Should().Throw<ValidationException>().Which.Errors.Should().ContainSingle()
            .Which.ErrorMessage.Should().Be("plaintext is larger than the limit of 4 bytes.");
    }

    [Fact]
    public void Base64_decoding_to_more_than_the_limit_is_rejected()
    {
        PlaintextInput.Decode(null, Convert.ToBase64String(new byte[16]), maxBytes: 16).Should().HaveCount(16);

        var act = () => PlaintextInput.Decode(null, Convert.ToBase64String(new byte[17]), maxBytes: 16);

        act.Should().Throw<ValidationException>().Which.Errors.Should().ContainSingle()
            .Which.ErrorMessage.Should().Be("plaintextBase64 is larger than the limit of 16 bytes.");
    }

    [Fact]
    public void Oversized_base64_is_refused_even_when_it_is_not_valid_base64()
    {
        var act = () => PlaintextInput.Decode(null, new string('!', 4096), maxBytes: 16);

        act.Should().Throw<ValidationException>().Which.Errors.Should().ContainSingle()
            .Which.ErrorMessage.Should().Contain("larger than the limit");
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    public void Bytes_that_are_not_valid_UTF_8_have_no_text_form(byte[] bytes)
    {
        PlaintextInput.TryDecodeUtf8(bytes).Should().BeNull();
    }

    [Fact]
    public void Valid_UTF_8_decodes_to_its_text()
    {
        PlaintextInput.TryDecodeUtf8(Encoding.UTF8.GetBytes("héllo 🔑")).Should().Be("héllo 🔑");
        PlaintextInput.TryDecodeUtf8([]).Should().BeEmpty();
    }
}
