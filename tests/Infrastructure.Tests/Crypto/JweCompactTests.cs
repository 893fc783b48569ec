using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

public sealed class JweCompactTests
{
    // A kid of this service's form ("{identity id}-v{version}", 35 characters).
    private const string Kid = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-v7";

    // 43 bytes: not a multiple of 3, so its base64url form would need padding.
    private static readonly byte[] Plaintext = "The quick brown fox jumps over the lazy dog"u8.ToArray();

    [Fact]
    public void Jwe_decrypts_with_the_recipients_private_key()
    {
        using var rsa = TestKeys.Rsa2048();

        var jwe = TestKeys.JweTo(Plaintext, rsa.ExportSubjectPublicKeyInfo(), Kid);

        JweCompact.TryDecrypt(jwe, rsa, out _).Should().Equal(Plaintext);
    }

    [Fact]
    public void Protected_header_is_exactly_alg_RSA_OAEP_256_enc_A256GCM_and_the_kid()
    {
        var jwe = Encrypt(Plaintext);

        var header = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jwe.Split('.')[0]));

        header.Should().Be($$"""{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"{{Kid}}"}""");
    }

    [Fact]
    public void Compact_serialization_has_five_parts_sized_for_RSA_2048_and_A256GCM()
    {
        var parts = Encrypt(Plaintext).Split('.');

        parts.Should().HaveCount(5);
        Base64Url.DecodeFromChars(parts[1]).Should().HaveCount(256, "the encrypted key is one RSA-2048 modulus long");
        Base64Url.DecodeFromChars(parts[2]).Should().HaveCount(12, "A256GCM uses a 96-bit IV");
        Base64Url.DecodeFromChars(parts[3]).Should().HaveCount(Plaintext.Length, "GCM ciphertext is as long as the plaintext");
        Base64Url.DecodeFromChars(parts[4]).Should().HaveCount(16, "A256GCM uses a 128-bit tag");
    }

    [Fact]
    public void ReadKeyId_returns_the_kid_of_the_protected_header()
    {
        JweCompact.ReadKeyId(Encrypt(Plaintext)).Should().Be(Kid);
    }

    [Fact]
    public void ReadKeyId_is_null_when_the_header_has_no_kid()
    {
        using var rsa = TestKeys.Rsa2048();

        JweCompact.ReadKeyId(JweCrafter.Craft(JweCrafter.CanonicalHeader, Plaintext, rsa)).Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("no dots at all")]
    [InlineData(".a.b.c.d")]
    [InlineData("!!!.a.b.c.d")]
    [InlineData("W10.a.b.c.d")] // base64url of "[]"
    public void ReadKeyId_is_null_for_an_unreadable_header(string compact)
    {
        JweCompact.ReadKeyId(compact).Should().BeNull();
    }

    [Fact]
    public void ReadKeyId_is_null_for_a_header_with_a_foreign_algorithm()
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = JweCrafter.Craft($$"""{"alg":"RSA1_5","enc":"A256GCM","kid":"{{Kid}}"}""", Plaintext, rsa, RSAEncryptionPadding.Pkcs1);

        JweCompact.ReadKeyId(jwe).Should().BeNull();
    }

    [Fact]
    public void Two_encryptions_of_the_same_plaintext_differ_in_key_iv_ciphertext_and_tag()
    {
        var first = Encrypt(Plaintext).Split('.');
        var second = Encrypt(Plaintext).Split('.');

        second[0].Should().Be(first[0]);
        for (var part = 1; part < 5; part++)
        {
            second[part].Should().NotBe(first[part], $"part {part} must come from a fresh random CEK and IV");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Jwe_with_a_changed_character_at_the_start_of_any_part_is_rejected(int part)
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = Encrypt(Plaintext);

        JweCompact.TryDecrypt(JweCrafter.FlipCharacter(jwe, part, 0), rsa, out _).Should().BeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Jwe_with_a_changed_character_in_the_middle_of_any_part_is_rejected(int part)
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = Encrypt(Plaintext);

        var tampered = JweCrafter.FlipCharacter(jwe, part, jwe.Split('.')[part].Length / 2);

        JweCompact.TryDecrypt(tampered, rsa, out _).Should().BeNull();
    }

    [Fact]
    public void Jwe_for_another_key_is_rejected()
    {
        using var other = TestKeys.OtherRsa2048();

        JweCompact.TryDecrypt(Encrypt(Plaintext), other, out _).Should().BeNull();
    }

    [Fact]
    public void Jwe_with_empty_plaintext_round_trips_with_an_empty_ciphertext_part()
    {
        using var rsa = TestKeys.Rsa2048();

        var jwe = TestKeys.JweTo([], rsa.ExportSubjectPublicKeyInfo(), Kid);

        jwe.Split('.')[3].Should().BeEmpty();
        var plaintext = JweCompact.TryDecrypt(jwe, rsa, out _);
        plaintext.Should().NotBeNull().And.BeEmpty();
    }

    [Fact]
    public void Hand_built_jwe_with_the_canonical_header_decrypts()
    {
        // Control for the crafted-header tests below: the crafter itself makes good tokens.
        using var rsa = TestKeys.Rsa2048();

        JweCompact.TryDecrypt(JweCrafter.Craft(JweCrafter.CanonicalHeader, Plaintext, rsa), rsa, out _).Should().Equal(Plaintext);
    }

    [Fact]
    public void Header_members_may_come_in_any_order()
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = JweCrafter.Craft("""{"kid":"k","enc":"A256GCM","alg":"RSA-OAEP-256"}""", Plaintext, rsa);

        JweCompact.TryDecrypt(jwe, rsa, out _).Should().Equal(Plaintext);
    }

    [Fact]
    public void Jwe_with_alg_none_is_rejected()
    {
        AssertHeaderRejected("""{"alg":"none","enc":"A256GCM"}""");
    }

    [Fact]
    public void Jwe_with_alg_RSA1_5_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = JweCrafter.Craft("""{"alg":"RSA1_5","enc":"A256GCM"}""", Plaintext, rsa, RSAEncryptionPadding.Pkcs1);

        JweCompact.TryDecrypt(jwe, rsa, out _).Should().BeNull();
    }

    [Fact]
    public void Jwe_with_alg_RSA_OAEP_using_SHA1_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = JweCrafter.Craft("""{"alg":"RSA-OAEP","enc":"A256GCM"}""", Plaintext, rsa, RSAEncryptionPadding.OaepSHA1);

        JweCompact.TryDecrypt(jwe, rsa, out _).Should().BeNull();
    }

    [Fact]
    public void Jwe_with_enc_A128GCM_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = JweCrafter.Craft("""{"alg":"RSA-OAEP-256","enc":"A128GCM"}""", Plaintext, rsa, cekBytes: 16);

        JweCompact.TryDecrypt(jwe, rsa, out _).Should().BeNull();
    }

    [Fact]
    public void Jwe_claiming_A256GCM_with_a_128_bit_content_key_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = JweCrafter.Craft(JweCrafter.CanonicalHeader, Plaintext, rsa, cekBytes: 16);

        JweCompact.TryDecrypt(jwe, rsa, out _).Should().BeNull();
    }

    [Theory]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","zip":"DEF"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","crit":["exp"],"exp":1}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","crit":[]}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","alg":"RSA-OAEP-256"}""")]
    [InlineData("""{"alg":"RSA1_5","enc":"A256GCM","alg":"RSA-OAEP-256"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","\u0061lg":"RSA-OAEP-256"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","enc":"A256GCM"}""")]
    [InlineData("""{"alg":"rsa-oaep-256","enc":"a256gcm"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256"}""")]
    [InlineData("""{"enc":"A256GCM"}""")]
    [InlineData("""{"alg":null,"enc":"A256GCM"}""")]
    [InlineData("""{"alg":["RSA-OAEP-256"],"enc":"A256GCM"}""")]
    [InlineData("""{}""")]
    [InlineData("""[]""")]
    [InlineData("""["RSA-OAEP-256","A256GCM"]""")]
    [InlineData("\"RSA-OAEP-256\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM"}x""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM"}{}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM"},""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM" /* c */}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM",}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM\u0000"}""")]
    public void Jwe_with_a_header_other_than_RSA_OAEP_256_and_A256GCM_is_rejected(string header)
    {
        AssertHeaderRejected(header);
    }

    // A protected header must be valid JSON (RFC 7515 §5.2 step 3), and JSON text is UTF-8
    // (RFC 8259 §8.1). '#' marks where a 0xFF byte, never valid in UTF-8, replaces the character.
    [Theory]
    [InlineData("""{"alg":"RSA-OAEP-256#","enc":"A256GCM"}""")]
    [InlineData("""{"al#":"RSA-OAEP-256","enc":"A256GCM"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"#"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","x":"#"}""")]
    public void Jwe_with_a_header_that_is_not_UTF8_is_rejected_without_throwing(string header)
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = JweCrafter.Craft(WithInvalidUtf8(header), Plaintext, rsa);

        byte[]? plaintext = null;
        var act = () => plaintext = JweCompact.TryDecrypt(jwe, rsa, out _);

        act.Should().NotThrow();
        plaintext.Should().BeNull();
    }

    // "\uD800" is an escaped lone surrogate: well-formed JSON text that names no Unicode character.
    [Theory]
    [InlineData("""{"alg":"\uD800","enc":"A256GCM"}""")]
    [InlineData("""{"\uD800":"x","alg":"RSA-OAEP-256","enc":"A256GCM"}""")]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"\uDC00"}""")]
    public void Jwe_whose_header_escapes_a_lone_surrogate_in_a_member_it_reads_is_rejected_without_throwing(string header)
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = JweCrafter.Craft(header, Plaintext, rsa);

        byte[]? plaintext = null;
        var act = () => plaintext = JweCompact.TryDecrypt(jwe, rsa, out _);

        act.Should().NotThrow();
        plaintext.Should().BeNull();
    }

    [Theory]
    [InlineData("""{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"#"}""")]
    [InlineData("""{"al#":"RSA-OAEP-256","enc":"A256GCM"}""")]
    public void ReadKeyId_is_null_for_a_header_that_is_not_UTF8(string header)
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = JweCrafter.Craft(WithInvalidUtf8(header), Plaintext, rsa);

        string? kid = "not called";
        var act = () => kid = JweCompact.ReadKeyId(jwe);

        act.Should().NotThrow();
        kid.Should().BeNull();
    }

    internal static byte[] WithInvalidUtf8(string header)
    {
        var bytes = Encoding.UTF8.GetBytes(header);
        bytes[header.IndexOf('#', StringComparison.Ordinal)] = 0xFF;
        return bytes;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Jwe_with_a_padded_base64_part_is_rejected(int part)
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = Encrypt(Plaintext);
        var length = jwe.Split('.')[part].Length;
        length.Should().NotBe(0).And.Match(l => l % 4 != 0, "the part must be one that padding would change");

        var padded = JweCrafter.ReplacePart(jwe, part, p => p + new string('=', 4 - (p.Length % 4)));

        JweCompact.TryDecrypt(padded, rsa, out _).Should().BeNull();
    }

    [Theory]
    [InlineData(0, "+")]
    [InlineData(1, "/")]
    [InlineData(3, " ")]
    [InlineData(4, "\n")]
    public void Jwe_with_a_character_outside_base64url_is_rejected(int part, string character)
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = JweCrafter.ReplacePart(Encrypt(Plaintext), part, p => p[..4] + character + p[4..]);

        JweCompact.TryDecrypt(jwe, rsa, out _).Should().BeNull();
    }

    [Fact]
    public void Jwe_with_four_or_six_parts_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = Encrypt(Plaintext);

        JweCompact.TryDecrypt(jwe[..jwe.LastIndexOf('.')], rsa, out _).Should().BeNull();
        JweCompact.TryDecrypt(jwe + ".", rsa, out _).Should().BeNull();
        JweCompact.TryDecrypt(jwe + ".AAAA", rsa, out _).Should().BeNull();
    }

    [Fact]
    public void Jwe_with_a_truncated_encrypted_key_iv_or_tag_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = Encrypt(Plaintext);

        foreach (var part in new[] { 1, 2, 4 })
        {
            JweCompact.TryDecrypt(JweCrafter.ReplacePart(jwe, part, p => p[4..]), rsa, out _).Should().BeNull($"part {part} was cut short");
        }
    }

    [Fact]
    public void Jwe_with_a_truncated_ciphertext_is_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = Encrypt(Plaintext);

        JweCompact.TryDecrypt(JweCrafter.ReplacePart(jwe, 3, p => p[4..]), rsa, out _).Should().BeNull();
        JweCompact.TryDecrypt(JweCrafter.ReplacePart(jwe, 3, _ => string.Empty), rsa, out _).Should().BeNull();
    }

    [Fact]
    public void Parts_swapped_between_two_jwes_are_rejected()
    {
        using var rsa = TestKeys.Rsa2048();
        var first = Encrypt(Plaintext).Split('.');
        var second = Encrypt(Plaintext).Split('.');

        for (var part = 1; part < 5; part++)
        {
            var mixed = (string[])first.Clone();
            mixed[part] = second[part];
            JweCompact.TryDecrypt(string.Join('.', mixed), rsa, out _).Should().BeNull($"part {part} came from another JWE");
        }
    }

    private static string Encrypt(byte[] plaintext)
    {
        using var rsa = TestKeys.Rsa2048();
        return TestKeys.JweTo(plaintext, rsa.ExportSubjectPublicKeyInfo(), Kid);
    }

    private static void AssertHeaderRejected(string header)
    {
        using var rsa = TestKeys.Rsa2048();
        var jwe = JweCrafter.Craft(header, Plaintext, rsa);

        JweCompact.TryDecrypt(jwe, rsa, out _).Should().BeNull();
    }
}
