using CryptoSecure.Application.Audit.Queries.GetAuditTrail;
using CryptoSecure.Application.Encryption.Commands.Encrypt;
using CryptoSecure.Application.Identities.Commands.RegisterIdentity;

namespace CryptoSecure.Application.UnitTests.Common;

public class RegisterIdentityValidatorTests
{
    private readonly RegisterIdentityValidator _validator = new();

    [Theory]
    [InlineData(null)]
    [InlineData(2048)]
    [InlineData(3072)]
    [InlineData(4096)]
    public void A_valid_address_with_no_or_a_supported_key_size_passes(int? keySize)
    {
        _validator.Validate(new RegisterIdentity("alice+tag@example.com", keySize)).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(0)]
    [InlineData(8192)]
    public void An_unsupported_key_size_fails_on_keySize(int keySize)
    {
        var result = _validator.Validate(new RegisterIdentity("alice@example.com", keySize));

        result.Errors.Should().ContainSingle().Which.ErrorMessage.Should().Be("keySize must be 2048, 3072 or 4096.");
        result.Errors[0].PropertyName.Should().Be(nameof(RegisterIdentity.KeySize));
    }

    [Theory]
    [InlineData("", "An email address is required.")]
    [InlineData("Alice <alice@example.com>", "An email address must be printable ASCII (internationalized domains in their xn-- form) without spaces, quotes, slashes or angle brackets.")]
    [InlineData("alice@example..com", "Not a valid email address.")]
    public void An_invalid_address_fails_on_email_with_the_parsers_message(string email, string message)
    {
        var result = _validator.Validate(new RegisterIdentity(email));

        result.Errors.Should().ContainSingle().Which.ErrorMessage.Should().Be(message);
        result.Errors[0].PropertyName.Should().Be(nameof(RegisterIdentity.Email));
    }
}

public class EncryptValidatorTests
{
    private readonly EncryptValidator _validator = new();

    [Theory]
    [InlineData("hello", null)]
    [InlineData("", null)]
    [InlineData(null, "aGVsbG8=")]
    public void Exactly_one_of_plaintext_and_plaintextBase64_passes(string? plaintext, string? plaintextBase64)
    {
        _validator.Validate(new Encrypt("alice@example.com", plaintext, plaintextBase64)).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("hello", "aGVsbG8=")]
    public void Neither_or_both_plaintext_fields_fail_on_plaintext(string? plaintext, string? plaintextBase64)
    {
        var result = _validator.Validate(new Encrypt("alice@example.com", plaintext, plaintextBase64));

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be("plaintext");
        result.Errors[0].ErrorMessage.Should().Contain("exactly one of plaintext").And.Contain("plaintextBase64");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("jwe")]
    [InlineData("JWE")]
    [InlineData("rsa-oaep")]
    [InlineData("RSA-OAEP")]
    public void Known_formats_in_any_case_pass(string? format)
    {
        _validator.Validate(new Encrypt("alice@example.com", "hi", Format: format)).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("RSA1_5")]
    [InlineData("rsa-oaep-256")]
    [InlineData("none")]
    public void Other_formats_fail_naming_the_allowed_ones(string format)
    {
        var result = _validator.Validate(new Encrypt("alice@example.com", "hi", Format: format));

        result.Errors.Should().ContainSingle().Which.ErrorMessage.Should().Be("format must be \"jwe\" or \"rsa-oaep\".");
    }

    [Fact]
    public void An_invalid_recipient_fails_on_email()
    {
        _validator.Validate(new Encrypt("not-an-address", "hi")).Errors.Should().ContainSingle().Which.PropertyName.Should().Be(nameof(Encrypt.Email));
    }
}

public class GetAuditTrailValidatorTests
{
    private readonly GetAuditTrailValidator _validator = new();

    [Theory]
    [InlineData(1)]
    [InlineData(GetAuditTrail.DefaultLimit)]
    [InlineData(200)]
    public void A_limit_from_1_to_200_passes(int limit)
    {
        _validator.Validate(new GetAuditTrail("alice@example.com", null, limit)).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(201)]
    [InlineData(int.MaxValue)]
    public void A_limit_outside_1_to_200_fails_on_limit(int limit)
    {
        var result = _validator.Validate(new GetAuditTrail("alice@example.com", null, limit));

        result.Errors.Should().ContainSingle().Which.ErrorMessage.Should().Be("limit must lie between 1 and 200.");
    }

    [Fact]
    public void A_cursor_longer_than_any_issued_fails_on_cursor()
    {
        var result = _validator.Validate(new GetAuditTrail("alice@example.com", new string('c', 129)));

        result.Errors.Should().ContainSingle().Which.PropertyName.Should().Be(nameof(GetAuditTrail.Cursor));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("owner")]
    [InlineData("public")]
    [InlineData("denied")]
    [InlineData("Denied")]
    public void No_kind_or_a_known_kind_in_any_case_passes(string? kind) =>
        _validator.Validate(new GetAuditTrail("alice@example.com", Kind: kind)).IsValid.Should().BeTrue();

    [Theory]
    [InlineData("admin")]
    [InlineData("all")]
    [InlineData("0")]
    public void Another_kind_fails_on_kind_naming_the_known_ones(string kind)
    {
        var result = _validator.Validate(new GetAuditTrail("alice@example.com", Kind: kind));

        var failure = result.Errors.Should().ContainSingle().Subject;
        failure.PropertyName.Should().Be(nameof(GetAuditTrail.Kind));
        failure.ErrorMessage.Should().Be("kind must be one of owner, public, denied, or absent for every kind.");
    }
}
