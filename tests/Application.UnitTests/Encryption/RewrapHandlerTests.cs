using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Encryption.Commands.Rewrap;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Keys;
using FluentValidation;

namespace CryptoSecure.Application.UnitTests.Encryption;

public class RewrapHandlerTests
{
    private readonly Ports _ports = new();

    [Fact]
    public async Task Rewrapping_decrypts_with_the_old_version_and_encrypts_in_the_same_format_under_the_latest()
    {
        var identity = _ports.Holds(TestIdentity.Create(versions: 3));
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(1);
        var oldCiphertext = Convert.ToBase64String(new byte[256]);

        var result = await Handler().Handle(new Rewrap("alice@example.com", oldCiphertext), CancellationToken.None);

        var call = _ports.Cipher.Encryptions.Should().ContainSingle().Subject;
        call.Format.Should().Be(CiphertextFormat.RsaOaep);
        call.Plaintext.Should().Equal(_ports.Cipher.Plaintext);
        call.PublicKey.Should().Equal(TestIdentity.PublicKeyOf(3));
        call.KeyId.Should().Be(identity.KeyIdOf(3));
        result.KeyVersion.Should().Be(3);
        _ports.Appended.Should().Equal(Ports.Expected(identity.Id, AuditAction.Rewrapped, AuditOutcome.Success, 3));
    }

    [Fact]
    public async Task Rewrapping_a_ciphertext_that_does_not_decrypt_fails_uniformly_and_is_audited()
    {
        var identity = _ports.Holds(TestIdentity.Create());

        var act = () => Handler().Handle(new Rewrap("alice@example.com", "%%%"), CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<DecryptionFailedException>()).Which.Message.Should().Be(DecryptionFailedException.UniformMessage);
        _ports.Appended.Should().Equal(Ports.Expected(identity.Id, AuditAction.Rewrapped, AuditOutcome.Failure, null));
        _ports.Cipher.Encryptions.Should().BeEmpty();
    }

    [Fact]
    public async Task A_raw_ciphertext_too_long_for_a_smaller_latest_key_is_refused_without_echoing_lengths_and_is_audited()
    {
        var identity = _ports.Holds(TestIdentity.Create(sizes: [KeySize.Rsa4096, KeySize.Rsa2048]));
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(1);
        _ports.Cipher.Plaintext = new byte[KeySize.Rsa2048.MaxRsaOaepSha256PlaintextBytes + 1];

        var act = () => Handler().Handle(new Rewrap("alice@example.com", Convert.ToBase64String(new byte[512])), CancellationToken.None).AsTask();

        var failure = (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainSingle().Subject;
        failure.PropertyName.Should().Be("ciphertext");
        failure.ErrorMessage.Should().NotContainAny("191", "190");
        _ports.Cipher.Encryptions.Should().BeEmpty();
        _ports.Appended.Should().Equal(Ports.Expected(identity.Id, AuditAction.Rewrapped, AuditOutcome.Failure, null));
    }

    private RewrapHandler Handler() => new(_ports.Lookup, _ports.Decryptor, _ports.Encryptor, _ports.Audit, _ports.Request.Object);
}
