using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Domain.UnitTests.Identities;

public class KeyIdTests
{
    private static readonly Guid IdentityId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private const string IdN = "0f8fad5bd9cb469fa16570867728950e";

    [Fact]
    public void A_key_id_is_the_identity_id_without_dashes_then_v_and_the_version()
    {
        KeyId.Format(IdentityId, 3).Should().Be(IdN + "-v3");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(int.MaxValue)]
    public void A_formatted_key_id_parses_back_to_its_identity_and_version(int version)
    {
        KeyId.TryParse(KeyId.Format(IdentityId, version), out var identityId, out var parsedVersion).Should().BeTrue();

        identityId.Should().Be(IdentityId);
        parsedVersion.Should().Be(version);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(IdN)]
    [InlineData(IdN + "v1")]
    [InlineData(IdN + "-1")]
    [InlineData(IdN + "-v")]
    [InlineData(IdN + "-v0")]
    [InlineData(IdN + "-v-1")]
    [InlineData(IdN + "-v+1")]
    [InlineData(IdN + "-v 1")]
    [InlineData(IdN + "-vx")]
    [InlineData(IdN + "-v1.0")]
    [InlineData(IdN + "-v99999999999")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e-v1")]
    [InlineData("zf8fad5bd9cb469fa16570867728950e-v1")]
    [InlineData("0f8fad5bd9cb469fa16570867728950-v1")]
    [InlineData("my-signing-key-v1")]
    [InlineData("alice@example.com-v1")]
    public void Key_ids_of_any_other_shape_are_not_parsed(string? kid)
    {
        KeyId.TryParse(kid, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void An_overlong_key_id_is_not_parsed_even_when_its_digits_would_be()
    {
        var overlong = IdN + "-v" + new string('0', 40) + "1";

        KeyId.TryParse(overlong, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void A_signing_key_id_says_sig_and_parses_back_only_as_a_signing_key_id()
    {
        var kid = KeyId.FormatSigning(IdentityId, 7);

        kid.Should().Be(IdN + "-sig-v7");
        KeyId.TryParseSigning(kid, out var identityId, out var version).Should().BeTrue();
        (identityId, version).Should().Be((IdentityId, 7));
        KeyId.TryParse(kid, out _, out _).Should().BeFalse("a signing key's kid never names an encryption key");
        KeyId.TryParseSigning(KeyId.Format(IdentityId, 7), out _, out _).Should().BeFalse("an encryption key's kid never names a signing key");
    }

    [Theory]
    [InlineData(IdN + "-sig-v0")]
    [InlineData(IdN + "-sig-v")]
    [InlineData(IdN + "-sigv1")]
    [InlineData(IdN + "-v1-sig-v1")]
    [InlineData("x" + IdN + "-sig-v1")]
    public void Signing_key_ids_of_any_other_shape_are_not_parsed(string kid)
    {
        KeyId.TryParseSigning(kid, out _, out _).Should().BeFalse();
    }
}
