using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Encryption.Commands.Decrypt;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Application.UnitTests.Encryption;

public class DecryptHandlerTests
{
    private const string Jwe = "eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.a2V5.aXY.Y3Q.dGFn";

    private readonly Ports _ports = new();

    [Fact]
    public async Task Decrypting_for_an_unknown_identity_fails_with_not_found()
    {
        var act = () => Handler().Handle(new Decrypt("nobody@example.com", Jwe), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
    }

    [Theory]
    [InlineData("%%% not a ciphertext %%%")]
    [InlineData("a.b.c")]
    [InlineData("abc")]
    [InlineData("zz")]
    public async Task Decrypt_with_a_malformed_ciphertext_fails_uniformly_and_is_audited(string ciphertext)
    {
        var identity = _ports.Holds(TestIdentity.Create());

        var act = () => Handler().Handle(new Decrypt("alice@example.com", ciphertext), CancellationToken.None).AsTask();

        var thrown = (await act.Should().ThrowAsync<DecryptionFailedException>()).Which;
        thrown.Reason.Should().Be(DecryptionFailure.Malformed);
        thrown.Message.Should().Be(DecryptionFailedException.UniformMessage);
        _ports.Appended.Should().Equal(Ports.Expected(identity.Id, AuditAction.Decrypted, AuditOutcome.Failure, null));
        _ports.Protector.UnsealedFor.Should().BeEmpty();
    }

    [Fact]
    public async Task A_ciphertext_no_key_opens_fails_with_the_same_message_as_a_malformed_one_and_is_audited()
    {
        var identity = _ports.Holds(TestIdentity.Create(versions: 2));
        _ports.Cipher.OpensWith = null;

        var act = () => Handler().Handle(new Decrypt("alice@example.com", Jwe), CancellationToken.None).AsTask();

        var thrown = (await act.Should().ThrowAsync<DecryptionFailedException>()).Which;
        thrown.Message.Should().Be(DecryptionFailedException.UniformMessage);
        thrown.Message.Should().Be(new DecryptionFailedException(DecryptionFailure.Malformed).Message);
        _ports.Appended.Should().Equal(Ports.Expected(identity.Id, AuditAction.Decrypted, AuditOutcome.Failure, null));
    }

    [Fact]
    public async Task A_successful_decryption_returns_the_plaintext_and_records_the_version_used()
    {
        var identity = _ports.Holds(TestIdentity.Create(versions: 3));
        _ports.Cipher.KeyIdInHeader = identity.KeyIdOf(2);
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(2);

        var result = await Handler().Handle(new Decrypt("Alice@Example.com", Jwe), CancellationToken.None);

        result.Plaintext.Should().Equal(_ports.Cipher.Plaintext);
        result.KeyVersion.Should().Be(2);
        _ports.Appended.Should().Equal(Ports.Expected(identity.Id, AuditAction.Decrypted, AuditOutcome.Success, 2));
    }

    [Fact]
    public async Task A_base64_ciphertext_is_decrypted_as_raw_RSA_OAEP()
    {
        _ports.Holds(TestIdentity.Create());
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(1);
        var modulusLong = Convert.ToBase64String(Enumerable.Repeat((byte)0xAA, 256).ToArray());

        var result = await Handler().Handle(new Decrypt("alice@example.com", modulusLong), CancellationToken.None);

        result.KeyVersion.Should().Be(1);
        _ports.Cipher.KeysTried.Should().Equal(TestIdentity.PrivateKeyNameOf(1));
    }

    [Fact]
    public async Task At_capacity_the_decryption_is_refused_as_busy_without_an_audit_event_since_nothing_was_attempted()
    {
        _ports.Holds(TestIdentity.Create());
        _ports.Cipher.OpensWith = TestIdentity.PrivateKeyOf(1);
        _ports.Gate.Busy = true;

        var act = () => Handler().Handle(new Decrypt("alice@example.com", Jwe), CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<ServiceBusyException>()).Which.RetryAfter.Should().BePositive();
        _ports.Appended.Should().BeEmpty();
        _ports.Gate.Entered.Should().ContainSingle().Which.Requester.Should().Be(Ports.FairShareKey);
    }

    private DecryptHandler Handler() => new(_ports.Lookup, _ports.Decryptor, _ports.Audit, _ports.Request.Object);
}
