using System.Text;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Encryption.Commands.Encrypt;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Keys;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.UnitTests.Encryption;

public class EncryptHandlerTests
{
    private readonly Ports _ports = new();

    [Fact]
    public async Task Encrypting_to_an_unknown_identity_fails_with_not_found()
    {
        var act = () => Handler().Handle(new Encrypt("nobody@example.com", "hello"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
        _ports.Cipher.Encryptions.Should().BeEmpty();
    }

    [Fact]
    public async Task Encryption_uses_the_latest_versions_public_key_and_key_id_and_is_audited_with_that_version()
    {
        var identity = _ports.Holds(TestIdentity.Create(versions: 3, minDecryptionVersion: 2));

        var result = await Handler().Handle(new Encrypt("alice@EXAMPLE.com", "hello"), CancellationToken.None);

        var call = _ports.Cipher.Encryptions.Should().ContainSingle().Subject;
        call.PublicKey.Should().Equal(TestIdentity.PublicKeyOf(3));
        call.KeyId.Should().Be(identity.KeyIdOf(3));
        call.Plaintext.Should().Equal("hello"u8.ToArray());
        call.Format.Should().Be(CiphertextFormat.Jwe);
        result.KeyVersion.Should().Be(3);
        result.Ciphertext.Encode().Should().Be(FakePayloadCipher.MadeJwe);
        _ports.Appended.Should().Equal(Ports.Expected(identity.Id, AuditAction.Encrypted, AuditOutcome.Success, 3));
    }

    [Theory]
    [InlineData(null, CiphertextFormat.Jwe)]
    [InlineData("jwe", CiphertextFormat.Jwe)]
    [InlineData("rsa-oaep", CiphertextFormat.RsaOaep)]
    [InlineData("RSA-OAEP", CiphertextFormat.RsaOaep)]
    public async Task The_format_wire_name_selects_the_cipher_format(string? wireName, CiphertextFormat expected)
    {
        _ports.Holds(TestIdentity.Create());

        await Handler().Handle(new Encrypt("alice@example.com", "hi", Format: wireName), CancellationToken.None);

        _ports.Cipher.Encryptions.Should().ContainSingle().Which.Format.Should().Be(expected);
    }

    [Fact]
    public async Task PlaintextBase64_is_decoded_and_its_bytes_encrypted()
    {
        _ports.Holds(TestIdentity.Create());
        byte[] binary = [0x00, 0xFF, 0x80, 0x7F, 0xC3];

        await Handler().Handle(new Encrypt("alice@example.com", null, Convert.ToBase64String(binary)), CancellationToken.None);

        _ports.Cipher.Encryptions.Should().ContainSingle().Which.Plaintext.Should().Equal(binary);
    }

    [Fact]
    public async Task Text_is_encrypted_as_UTF_8()
    {
        _ports.Holds(TestIdentity.Create());

        await Handler().Handle(new Encrypt("alice@example.com", "héllo €"), CancellationToken.None);

        _ports.Cipher.Encryptions.Should().ContainSingle().Which.Plaintext.Should().Equal(Encoding.UTF8.GetBytes("héllo €"));
    }

    [Fact]
    public async Task Rsa_oaep_over_the_latest_keys_limit_is_rejected_stating_the_limit_in_bytes()
    {
        // The older 4096-bit version would take 446 bytes; the latest (2048) takes 190.
        _ports.Holds(TestIdentity.Create(sizes: [KeySize.Rsa4096, KeySize.Rsa2048]));

        var act = () => Handler().Handle(new Encrypt("alice@example.com", new string('x', 191), Format: "rsa-oaep"), CancellationToken.None).AsTask();

        var failure = (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainSingle().Subject;
        failure.PropertyName.Should().Be("plaintext");
        failure.ErrorMessage.Should().Contain("at most 190 bytes").And.Contain("191 bytes").And.Contain("jwe");
        _ports.Cipher.Encryptions.Should().BeEmpty();
        _ports.Appended.Should().BeEmpty();
    }

    [Theory]
    [InlineData(2048, 190)]
    [InlineData(3072, 318)]
    [InlineData(4096, 446)]
    public async Task Rsa_oaep_accepts_exactly_the_keys_limit(int bits, int limit)
    {
        _ports.Holds(TestIdentity.Create(sizes: [KeySize.FromBits(bits)]));

        var result = await Handler().Handle(new Encrypt("alice@example.com", null, Convert.ToBase64String(new byte[limit]), "rsa-oaep"), CancellationToken.None);

        result.Ciphertext.Format.Should().Be(CiphertextFormat.RsaOaep);
        _ports.Cipher.Encryptions.Should().ContainSingle().Which.Plaintext.Should().HaveCount(limit);
    }

    [Fact]
    public async Task Jwe_is_not_bound_by_the_rsa_oaep_limit()
    {
        _ports.Holds(TestIdentity.Create(sizes: [KeySize.Rsa2048]));

        var result = await Handler().Handle(new Encrypt("alice@example.com", new string('x', 1000), Format: "jwe"), CancellationToken.None);

        result.Ciphertext.Format.Should().Be(CiphertextFormat.Jwe);
    }

    [Fact]
    public async Task Plaintext_over_Encryption_MaxPlaintextBytes_is_rejected_before_encrypting()
    {
        _ports.Holds(TestIdentity.Create());

        var act = () => Handler(maxPlaintextBytes: 16).Handle(new Encrypt("alice@example.com", new string('x', 17)), CancellationToken.None).AsTask();

        var failure = (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainSingle().Subject;
        failure.PropertyName.Should().Be("plaintext");
        failure.ErrorMessage.Should().Contain("16 bytes");
        _ports.Cipher.Encryptions.Should().BeEmpty();
    }

    private EncryptHandler Handler(int maxPlaintextBytes = 4096) =>
        new(_ports.Store.Object, _ports.Encryptor, _ports.Audit, Options.Create(new EncryptionOptions { MaxPlaintextBytes = maxPlaintextBytes }), _ports.Request.Object);
}
