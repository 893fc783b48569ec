using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.UnitTests.Encryption;

public class KeyRingDecryptorTests
{
    private static readonly JweCiphertext Jwe = new("header.key.iv.ciphertext.tag");

    private readonly Ports _ports = new();

    [Fact]
    public void A_JWE_whose_kid_names_a_version_of_this_identity_is_opened_with_that_version_only()
    {
        var identity = TestIdentity.Create(versions: 3);
        _ports.Cipher.KeyIdInHeader = identity.KeyIdOf(2);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(2);

        var (plaintext, version) = _ports.Decryptor.Decrypt(identity, Jwe);

        version.Should().Be(2);
        plaintext.Should().Equal(_ports.Cipher.Plaintext);
        _ports.Protector.UnsealedFor.Should().Equal(new KeyBinding(identity.Id, "alice@example.com", 2));
        _ports.Cipher.KeysTried.Should().Equal(TestIdentity.PrivateKeyNameOf(2));
    }

    [Fact]
    public void A_JWE_whose_named_version_does_not_open_it_is_not_retried_with_other_versions()
    {
        var identity = TestIdentity.Create(versions: 3);
        _ports.Cipher.KeyIdInHeader = identity.KeyIdOf(1);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(3);
        _ports.Cipher.FailureCause = DecryptionFailure.AuthenticationFailed;

        var act = () => _ports.Decryptor.Decrypt(identity, Jwe);

        act.Should().Throw<DecryptionFailedException>().Which.Reason.Should().Be(DecryptionFailure.AuthenticationFailed);
        _ports.Cipher.KeysTried.Should().Equal(TestIdentity.PrivateKeyNameOf(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void A_JWE_naming_a_version_below_the_minimum_or_beyond_the_latest_fails_without_trying_any_key(int named)
    {
        var identity = TestIdentity.Create(versions: 3, minDecryptionVersion: 3);
        _ports.Cipher.KeyIdInHeader = identity.KeyIdOf(named);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(named);

        var act = () => _ports.Decryptor.Decrypt(identity, Jwe);

        act.Should().Throw<DecryptionFailedException>().Which.Reason.Should().Be(DecryptionFailure.VersionNotAllowed);
        _ports.Protector.UnsealedFor.Should().BeEmpty();
        _ports.Cipher.KeysTried.Should().BeEmpty();
    }

    public static TheoryData<string?> KeyIdsNotNamingThisIdentity => new()
    {
        null,
        "",
        "some-other-services-key",
        KeyId.Format(Guid.NewGuid(), 1),
        KeyId.Format(Guid.NewGuid(), 3),
    };

    [Theory]
    [MemberData(nameof(KeyIdsNotNamingThisIdentity))]
    public void A_JWE_whose_kid_names_no_version_of_this_identity_is_tried_with_every_allowed_version_latest_first(string? kid)
    {
        var identity = TestIdentity.Create(versions: 4, minDecryptionVersion: 2);
        _ports.Cipher.KeyIdInHeader = kid;
        _ports.Cipher.OpensWith = null;

        var act = () => _ports.Decryptor.Decrypt(identity, Jwe);

        act.Should().Throw<DecryptionFailedException>();
        _ports.Cipher.KeysTried.Should().Equal(
            TestIdentity.PrivateKeyNameOf(4), TestIdentity.PrivateKeyNameOf(3), TestIdentity.PrivateKeyNameOf(2));
    }

    [Fact]
    public void Trying_versions_in_turn_stops_at_the_first_that_opens_and_reports_it()
    {
        var identity = TestIdentity.Create(versions: 3);
        _ports.Cipher.KeyIdInHeader = null;
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(2);

        var (_, version) = _ports.Decryptor.Decrypt(identity, Jwe);

        version.Should().Be(2);
        _ports.Cipher.KeysTried.Should().Equal(TestIdentity.PrivateKeyNameOf(3), TestIdentity.PrivateKeyNameOf(2));
    }

    [Theory]
    [InlineData(256, new[] { 4, 1 })]
    [InlineData(384, new[] { 2 })]
    [InlineData(512, new[] { 3 })]
    public void Raw_RSA_OAEP_is_tried_only_with_versions_whose_modulus_is_as_long_as_the_ciphertext(int length, int[] expectedVersions)
    {
        var identity = TestIdentity.Create(sizes: [KeySize.Rsa2048, KeySize.Rsa3072, KeySize.Rsa4096, KeySize.Rsa2048]);
        _ports.Cipher.OpensWith = null;

        var act = () => _ports.Decryptor.Decrypt(identity, new RsaOaepCiphertext(new byte[length]));

        act.Should().Throw<DecryptionFailedException>();
        _ports.Cipher.KeysTried.Should().Equal(expectedVersions.Select(TestIdentity.PrivateKeyNameOf));
    }

    [Theory]
    [InlineData(255)]
    [InlineData(257)]
    [InlineData(512)]
    [InlineData(0)]
    public void Raw_RSA_OAEP_of_a_length_no_allowed_version_has_fails_without_trying_any_key(int length)
    {
        // Version 1 is 4096-bit but below the minimum, so 512 bytes fits no allowed version either.
        var identity = TestIdentity.Create(minDecryptionVersion: 2, sizes: [KeySize.Rsa4096, KeySize.Rsa2048, KeySize.Rsa3072]);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(1);

        var act = () => _ports.Decryptor.Decrypt(identity, new RsaOaepCiphertext(new byte[length]));

        act.Should().Throw<DecryptionFailedException>().Which.Reason.Should().Be(DecryptionFailure.WrongLength);
        _ports.Protector.UnsealedFor.Should().BeEmpty();
        _ports.Cipher.KeysTried.Should().BeEmpty();
    }

    [Fact]
    public void Every_opened_private_key_is_wiped_after_use()
    {
        var identity = TestIdentity.Create(versions: 3);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(1);

        _ports.Decryptor.Decrypt(identity, Jwe);

        _ports.Protector.OpenedKeys.Should().HaveCount(3).And.OnlyContain(key => key.All(b => b == 0));
    }
}
