using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Domain.UnitTests.Identities;

public class EmailAddressTests
{
    // 64 + 1 + 189 = 254 characters, every label within 63.
    private static readonly string LongestLocalPart = new('a', EmailAddress.MaxLocalPartLength);
    private static readonly string LongestAddress = $"{LongestLocalPart}@{new string('b', 63)}.{new string('c', 63)}.{new string('d', 57)}.com";

    [Fact]
    public void An_address_is_trimmed_and_lower_cased_for_matching_while_display_keeps_the_given_case()
    {
        EmailAddress.TryParse("  Alice.Smith@Example.COM \t", out var email, out var error).Should().BeTrue();

        error.Should().BeEmpty();
        email!.Normalized.Should().Be("alice.smith@example.com");
        email.Display.Should().Be("Alice.Smith@Example.COM");
        email.ToString().Should().Be("Alice.Smith@Example.COM");
    }

    [Theory]
    [InlineData("alice+newsletter@example.com")]
    [InlineData("alice@mail.eu.example.co.uk")]
    [InlineData("first.last-name_1@my-host.example")]
    public void Plus_addressing_and_subdomains_are_accepted(string input)
    {
        EmailAddress.TryParse(input, out var email, out _).Should().BeTrue();
        email!.Normalized.Should().Be(input);
    }

    [Fact]
    public void An_address_of_exactly_254_characters_with_a_64_character_local_part_is_accepted()
    {
        LongestAddress.Should().HaveLength(EmailAddress.MaxLength);

        EmailAddress.TryParse(LongestAddress, out var email, out _).Should().BeTrue();
        email!.Normalized.Should().Be(LongestAddress);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    public void A_missing_address_is_rejected_as_required(string? input)
    {
        EmailAddress.TryParse(input, out var email, out var error).Should().BeFalse();

        email.Should().BeNull();
        error.Should().Be("An email address is required.");
    }

    [Fact]
    public void An_address_over_254_characters_is_rejected_stating_the_limit()
    {
        var tooLong = "x" + LongestAddress;

        EmailAddress.TryParse(tooLong, out var email, out var error).Should().BeFalse();

        email.Should().BeNull();
        error.Should().Be("An email address has at most 254 characters.");
    }

    [Theory]
    [InlineData("alice smith@example.com")]
    [InlineData("alice@exam ple.com")]
    [InlineData("alice\u00A0@example.com")]
    [InlineData("alice\t@example.com")]
    [InlineData("alice\u0000@example.com")]
    [InlineData("alice\u007F@example.com")]
    [InlineData("Alice <alice@example.com>")]
    [InlineData("<alice@example.com>")]
    [InlineData("alice/bob@example.com")]
    [InlineData("alice\\bob@example.com")]
    [InlineData("\"alice\"@example.com")]
    [InlineData("alice@example.com,bob@example.com")]
    [InlineData("alice@example.com;bob@example.com")]
    [InlineData("alice(comment)@example.com")]
    public void Spaces_control_characters_display_names_slashes_and_quotes_are_rejected(string input)
    {
        EmailAddress.TryParse(input, out var email, out var error).Should().BeFalse();

        email.Should().BeNull();
        error.Should().Be("An email address must be printable ASCII (internationalized domains in their xn-- form) without spaces, quotes, slashes or angle brackets.");
    }

    [Fact]
    public void Invisible_formatting_characters_and_lone_surrogates_are_rejected()
    {
        // Each of these would register an address that displays like another (zero-width, soft
        // hyphen, byte-order mark), displays reordered (right-to-left override), or does not
        // survive a UTF-8 store (lone surrogate). Built at run time: attribute strings are UTF-8.
        string[] inputs =
        [
            "alice\u200B@example.com",
            "ali\u200Dce@example.com",
            "\uFEFFalice@example.com",
            "alice\u202E@example.com",
            "alice@exam\u00ADple.com",
            "alice@exam\u200Bple.com",
            "alice" + (char)0xD800 + "@example.com",
        ];

        var accepted = inputs.Where(input => EmailAddress.TryParse(input, out _, out _)).Select(Escaped).ToArray();

        accepted.Should().BeEmpty();
    }

    [Theory]
    [InlineData("alice.example.com")]
    [InlineData("@example.com")]
    [InlineData("alice@")]
    [InlineData("alice@@example.com")]
    [InlineData("alice@example..com")]
    [InlineData("alice@example.com.")]
    [InlineData("alice@.example.com")]
    [InlineData("alice@-example.com")]
    [InlineData("alice@mail.-example.com")]
    [InlineData("alice@example-.com")]
    [InlineData("alice@exa_mple.com")]
    [InlineData("alice@[192.0.2.1]")]
    public void Addresses_without_a_well_formed_local_part_and_domain_are_rejected(string input)
    {
        EmailAddress.TryParse(input, out var email, out var error).Should().BeFalse();

        email.Should().BeNull();
        error.Should().Be("Not a valid email address.");
    }

    [Fact]
    public void A_local_part_over_64_characters_is_rejected()
    {
        var input = LongestLocalPart + "a@example.com";

        EmailAddress.TryParse(input, out var email, out var error).Should().BeFalse();

        email.Should().BeNull();
        error.Should().Be("Not a valid email address.");
    }

    [Theory]
    [InlineData("alice.example.com")]
    [InlineData("Alice <alice@example.com>")]
    [InlineData("alice@example..com")]
    public void Error_messages_are_fixed_text_that_never_echoes_the_input(string input)
    {
        EmailAddress.TryParse(input, out _, out var error).Should().BeFalse();

        error.Should().NotContain(input).And.EndWith(".");
        error.Should().NotContainAny("Exception", "MailAddress", "   at ");
    }

    [Fact]
    public void Parse_throws_with_the_client_readable_message_for_an_invalid_address()
    {
        var act = () => EmailAddress.Parse("not-an-address");

        act.Should().Throw<ArgumentException>().WithMessage("Not a valid email address.*");
    }

    [Fact]
    public void Addresses_differing_only_in_case_and_surrounding_space_are_equal()
    {
        var given = EmailAddress.Parse("Alice@Example.com");
        var other = EmailAddress.Parse(" alice@EXAMPLE.COM ");

        given.Should().Be(other);
        given.Equals((object)other).Should().BeTrue();
        given.GetHashCode().Should().Be(other.GetHashCode());
        given.Display.Should().NotBe(other.Display);
    }

    [Fact]
    public void Different_addresses_are_not_equal()
    {
        var alice = EmailAddress.Parse("alice@example.com");

        alice.Should().NotBe(EmailAddress.Parse("alice@example.org"));
        alice.Should().NotBe(EmailAddress.Parse("alice+x@example.com"));
        alice.Equals(null).Should().BeFalse();
    }

    [Fact]
    public void An_address_restored_from_the_store_keeps_its_display_form_and_matches_its_normalized_form()
    {
        var restored = EmailAddress.FromStore("Alice@Example.com");

        restored.Display.Should().Be("Alice@Example.com");
        restored.Should().Be(EmailAddress.Parse("alice@example.com"));
    }

    [Theory]
    [InlineData("k\u0430te@example.com")]
    [InlineData("jos\u00e9@example.com")]
    [InlineData("jose\u0301@example.com")]
    [InlineData("alice@b\u00fccher.example")]
    public void Non_ASCII_look_alikes_are_refused_so_they_cannot_pose_as_another_identity(string input)
    {
        EmailAddress.TryParse(input, out var email, out var error).Should().BeFalse();
        email.Should().BeNull();
        error.Should().Contain("ASCII");
    }

    [Fact]
    public void An_internationalized_domain_in_its_xn_form_is_accepted()
    {
        EmailAddress.TryParse("alice@xn--bcher-kva.example", out var email, out _).Should().BeTrue();
        email!.Normalized.Should().Be("alice@xn--bcher-kva.example");
    }

    private static string Escaped(string text) =>
        string.Concat(text.Select(c => c < 128 ? c.ToString() : $"\\u{(int)c:X4}"));
}
