using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

public sealed class ApiKeyIssuerTests
{
    private readonly ApiKeyIssuer _issuer = new();

    [Fact]
    public void Key_is_csk_prefix_and_base64url_of_32_bytes()
    {
        var key = _issuer.Issue().Key;

        key.Should().StartWith("csk_").And.HaveLength(4 + 43);
        var body = key[4..];
        body.Should().MatchRegex("^[A-Za-z0-9_-]{43}$");
        Base64Url.DecodeFromChars(body).Should().HaveCount(32);
    }

    [Fact]
    public void Keys_are_distinct_across_calls()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => _issuer.Issue().Key).ToList();

        keys.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Issued_hash_is_the_SHA256_of_the_UTF8_key()
    {
        var issued = _issuer.Issue();

        issued.Hash.Bytes.ToArray().Should().Equal(SHA256.HashData(Encoding.UTF8.GetBytes(issued.Key)));
    }

    [Fact]
    public void Hashing_the_issued_key_gives_the_issued_hash()
    {
        var issued = _issuer.Issue();

        _issuer.Hash(issued.Key).Should().Be(issued.Hash);
    }

    [Theory]
    [InlineData("csk_abc")]
    [InlineData("")]
    [InlineData("clé-ünïcode-🔑")]
    public void Hash_is_the_SHA256_of_the_UTF8_bytes_of_any_presented_text(string presented)
    {
        _issuer.Hash(presented).Bytes.ToArray().Should().Equal(SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }

    [Fact]
    public void Different_keys_have_different_hashes()
    {
        _issuer.Hash("csk_a").Should().NotBe(_issuer.Hash("csk_b"));
    }

    [Fact]
    public void Issued_key_is_not_shown_by_ToString()
    {
        var issued = _issuer.Issue();

        issued.ToString().Should().NotContain(issued.Key);
        issued.Hash.ToString().Should().Be("ApiKeyHash(redacted)");
    }
}
