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
    public async Task A_JWE_whose_kid_names_a_version_of_this_identity_is_opened_with_that_version_only()
    {
        var identity = TestIdentity.Create(versions: 3);
        _ports.Cipher.KeyIdInHeader = identity.KeyIdOf(2);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(2);

        var (plaintext, version) = await DecryptAsync(identity, Jwe);

        version.Should().Be(2);
        plaintext.Should().Equal(_ports.Cipher.Plaintext);
        _ports.Protector.UnsealedFor.Should().Equal(new KeyBinding(identity.Id, "alice@example.com", 2));
        _ports.Cipher.KeysTried.Should().Equal(TestIdentity.PrivateKeyNameOf(2));
    }

    [Fact]
    public async Task A_JWE_whose_named_version_does_not_open_it_is_not_retried_with_other_versions()
    {
        var identity = TestIdentity.Create(versions: 3);
        _ports.Cipher.KeyIdInHeader = identity.KeyIdOf(1);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(3);
        _ports.Cipher.FailureCause = DecryptionFailure.AuthenticationFailed;

        var act = () => DecryptAsync(identity, Jwe);

        (await act.Should().ThrowAsync<DecryptionFailedException>()).Which.Reason.Should().Be(DecryptionFailure.AuthenticationFailed);
        _ports.Cipher.KeysTried.Should().Equal(TestIdentity.PrivateKeyNameOf(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task A_JWE_naming_a_version_below_the_minimum_or_beyond_the_latest_fails_without_trying_any_key(int named)
    {
        var identity = TestIdentity.Create(versions: 3, minDecryptionVersion: 3);
        _ports.Cipher.KeyIdInHeader = identity.KeyIdOf(named);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(named);

        var act = () => DecryptAsync(identity, Jwe);

        (await act.Should().ThrowAsync<DecryptionFailedException>()).Which.Reason.Should().Be(DecryptionFailure.VersionNotAllowed);
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
    public async Task A_JWE_whose_kid_names_no_version_of_this_identity_is_tried_with_every_allowed_version_latest_first(string? kid)
    {
        var identity = TestIdentity.Create(versions: 4, minDecryptionVersion: 2);
        _ports.Cipher.KeyIdInHeader = kid;
        _ports.Cipher.OpensWith = null;

        var act = () => DecryptAsync(identity, Jwe);

        await act.Should().ThrowAsync<DecryptionFailedException>();
        _ports.Cipher.KeysTried.Should().Equal(
            TestIdentity.PrivateKeyNameOf(4), TestIdentity.PrivateKeyNameOf(3), TestIdentity.PrivateKeyNameOf(2));
    }

    [Fact]
    public async Task Trying_versions_in_turn_stops_at_the_first_that_opens_and_reports_it()
    {
        var identity = TestIdentity.Create(versions: 3);
        _ports.Cipher.KeyIdInHeader = null;
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(2);

        var (_, version) = await DecryptAsync(identity, Jwe);

        version.Should().Be(2);
        _ports.Cipher.KeysTried.Should().Equal(TestIdentity.PrivateKeyNameOf(3), TestIdentity.PrivateKeyNameOf(2));
    }

    [Theory]
    [InlineData(256, new[] { 4, 1 })]
    [InlineData(384, new[] { 2 })]
    [InlineData(512, new[] { 3 })]
    public async Task Raw_RSA_OAEP_is_tried_only_with_versions_whose_modulus_is_as_long_as_the_ciphertext(int length, int[] expectedVersions)
    {
        var identity = TestIdentity.Create(sizes: [KeySize.Rsa2048, KeySize.Rsa3072, KeySize.Rsa4096, KeySize.Rsa2048]);
        _ports.Cipher.OpensWith = null;

        var act = () => DecryptAsync(identity, new RsaOaepCiphertext(new byte[length]));

        await act.Should().ThrowAsync<DecryptionFailedException>();
        _ports.Cipher.KeysTried.Should().Equal(expectedVersions.Select(TestIdentity.PrivateKeyNameOf));
    }

    [Theory]
    [InlineData(255)]
    [InlineData(257)]
    [InlineData(512)]
    [InlineData(0)]
    public async Task Raw_RSA_OAEP_of_a_length_no_allowed_version_has_fails_without_trying_any_key(int length)
    {
        // Version 1 is 4096-bit but below the minimum, so 512 bytes fits no allowed version either.
        var identity = TestIdentity.Create(minDecryptionVersion: 2, sizes: [KeySize.Rsa4096, KeySize.Rsa2048, KeySize.Rsa3072]);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(1);

        var act = () => DecryptAsync(identity, new RsaOaepCiphertext(new byte[length]));

        (await act.Should().ThrowAsync<DecryptionFailedException>()).Which.Reason.Should().Be(DecryptionFailure.WrongLength);
        _ports.Protector.UnsealedFor.Should().BeEmpty();
        _ports.Cipher.KeysTried.Should().BeEmpty();
    }

    [Fact]
    public async Task Every_opened_private_key_is_wiped_after_use()
    {
        var identity = TestIdentity.Create(versions: 3);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(1);

        await DecryptAsync(identity, Jwe);

        _ports.Protector.OpenedKeys.Should().HaveCount(3).And.OnlyContain(key => key.All(b => b == 0));
    }

    [Fact]
    public async Task Each_version_tried_is_one_private_key_operation_admitted_for_the_requester_and_its_slot_is_given_back()
    {
        var identity = TestIdentity.Create(sizes: [KeySize.Rsa2048, KeySize.Rsa4096, KeySize.Rsa3072]);
        _ports.Cipher.KeyIdInHeader = null;
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(2);

        var (_, version) = await DecryptAsync(identity, Jwe);

        version.Should().Be(2);
        _ports.Gate.Entered.Should().Equal((KeySize.Rsa3072, Ports.FairShareKey), (KeySize.Rsa4096, Ports.FairShareKey));
        _ports.Gate.Held.Should().Be(0);
    }

    [Fact]
    public async Task At_capacity_the_busy_answer_comes_before_any_private_key_is_opened()
    {
        var identity = TestIdentity.Create(versions: 2);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(2);
        _ports.Gate.Busy = true;

        var act = () => DecryptAsync(identity, Jwe);

        await act.Should().ThrowAsync<ServiceBusyException>();
        _ports.Protector.UnsealedFor.Should().BeEmpty();
        _ports.Cipher.KeysTried.Should().BeEmpty();
    }

    private Task<(byte[] Plaintext, int KeyVersion)> DecryptAsync(Identity identity, Ciphertext ciphertext) =>
        _ports.Decryptor.DecryptAsync(identity, ciphertext, Ports.FairShareKey, CancellationToken.None).AsTask();
}
