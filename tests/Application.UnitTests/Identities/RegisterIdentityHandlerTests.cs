using CryptoSecure.Application.Identities.Common;
using System.Text;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Identities.Commands.RegisterIdentity;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using Microsoft.Extensions.Options;
using Moq;

namespace CryptoSecure.Application.UnitTests.Identities;

public class RegisterIdentityHandlerTests
{
    private static readonly ApiKeyHash IssuedHash = new([.. Enumerable.Range(0, ApiKeyHash.Length).Select(i => (byte)(i + 1))]);

    private readonly Ports _ports = new();
    private readonly Mock<IRsaKeyFactory> _keyFactory = new();
    private readonly Mock<IApiKeyIssuer> _apiKeys = new();
    private readonly List<GeneratedPair> _generated = [];
    private Identity? _stored;
    private IReadOnlyList<AuditEvent>? _storedEvents;

    public RegisterIdentityHandlerTests()
    {
        _keyFactory.Setup(f => f.CreateManyAsync(It.IsAny<KeySize>(), It.IsAny<int>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((KeySize size, int count, string _, CancellationToken _) =>
            {
                var pairs = new List<RsaKeyPair>();
                for (var i = 0; i < count; i++)
                {
                    var n = _generated.Count;
                    var pair = new RsaKeyPair(size, Encoding.UTF8.GetBytes($"spki-{size.Bits}-{n}"), Encoding.UTF8.GetBytes($"pkcs8-{size.Bits}-{n}"));
                    _generated.Add(new GeneratedPair(pair));
                    pairs.Add(pair);
                }

                return ValueTask.FromResult<IReadOnlyList<RsaKeyPair>>(pairs);
            });
        _apiKeys.Setup(a => a.Issue()).Returns(new IssuedApiKey("csk_issued-once", IssuedHash));
        _ports.Store.Setup(s => s.CreateAsync(It.IsAny<Identity>(), It.IsAny<IReadOnlyList<AuditEvent>>(), It.IsAny<CancellationToken>()))
            .Callback<Identity, IReadOnlyList<AuditEvent>, CancellationToken>((identity, events, _) => (_stored, _storedEvents) = (identity, events))
            .Returns(Task.CompletedTask);
    }

    [Fact]
    public async Task Registering_an_address_already_taken_fails_without_generating_a_key()
    {
        _ports.Holds(TestIdentity.Create());

        var act = () => Handler().Handle(new RegisterIdentity("ALICE@example.com"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityAlreadyExistsException>();
        _keyFactory.Verify(f => f.CreateManyAsync(It.IsAny<KeySize>(), It.IsAny<int>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _ports.Store.Verify(s => s.CreateAsync(It.IsAny<Identity>(), It.IsAny<IReadOnlyList<AuditEvent>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Registration_stores_the_first_key_sealed_to_the_new_id_the_normalized_address_and_version_1()
    {
        var result = await Handler().Handle(new RegisterIdentity(" Alice@Example.COM ", KeySize: 2048), CancellationToken.None);

        var stored = _stored!;
        stored.Email.Display.Should().Be("Alice@Example.COM");
        stored.Email.Normalized.Should().Be("alice@example.com");
        stored.Revision.Should().Be(1);
        stored.CreatedAt.Should().Be(Ports.Now);
        stored.ApiKeyHash.Should().Be(IssuedHash);
        var first = stored.Keys.Versions.Should().ContainSingle().Subject;
        first.Version.Should().Be(1);
        first.Size.Should().Be(KeySize.Rsa2048);
        first.PublicKey.Should().Equal(Encoding.UTF8.GetBytes("spki-2048-0"));

        var binding = new KeyBinding(stored.Id, "alice@example.com", 1);
        var signingBinding = binding with { Purpose = KeyPurpose.Signing };
        _ports.Protector.SealedFor.Should().Equal(binding, signingBinding);
        FakeKeyProtector.OpenedContent(first.SealedPrivateKey, binding).Should().Equal(_generated[0].PrivateKeyPkcs8Copy);
        first.SigningKey.Should().NotBeNull("a version holds a signing key pair besides the encryption one");
        first.SigningKey!.PublicKey.Should().BeSameAs(_generated[1].PublicKey);
        FakeKeyProtector.OpenedContent(first.SigningKey.SealedPrivateKey, signingBinding).Should().Equal(_generated[1].PrivateKeyPkcs8Copy);
        FakeKeyProtector.OpenedContent(first.SigningKey.SealedPrivateKey, binding).Should().BeNull("the signing key is sealed for its purpose, not for encryption");

        result.Email.Should().Be("Alice@Example.COM");
        result.KeyVersion.Should().Be(1);
        result.KeySize.Should().Be(2048);
        result.PublicKeyPem.Should().Be("PUBLIC KEY spki-2048-0");
        result.CreatedAt.Should().Be(Ports.Now);
        result.ApiKey.Should().Be("csk_issued-once");
        result.PrivateKeyPem.Should().BeNull();
    }

    [Fact]
    public async Task Each_registration_gets_a_new_identity_id()
    {
        await Handler().Handle(new RegisterIdentity("alice@example.com"), CancellationToken.None);
        var first = _stored!.Id;
        await Handler().Handle(new RegisterIdentity("bob@example.com"), CancellationToken.None);

        first.Should().NotBe(Guid.Empty);
        _stored!.Id.Should().NotBe(first);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(4096)]
    public async Task Registration_without_a_key_size_uses_Keys_DefaultKeySize(int defaultBits)
    {
        var result = await Handler(new KeyOptions { DefaultKeySize = defaultBits }).Handle(new RegisterIdentity("alice@example.com"), CancellationToken.None);

        _keyFactory.Verify(f => f.CreateManyAsync(KeySize.FromBits(defaultBits), 2, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once, "a version holds an encryption and a signing key pair, made as one piece of work");
        result.KeySize.Should().Be(defaultBits);
        _stored!.Keys.Latest.Size.Bits.Should().Be(defaultBits);
    }

    [Fact]
    public async Task A_requested_key_size_overrides_the_default()
    {
        await Handler(new KeyOptions { DefaultKeySize = 4096 }).Handle(new RegisterIdentity("alice@example.com", KeySize: 2048), CancellationToken.None);

        _keyFactory.Verify(f => f.CreateManyAsync(KeySize.Rsa2048, 2, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once, "a version holds an encryption and a signing key pair, made as one piece of work");
    }

    [Theory]
    [InlineData(null, true, true)]
    [InlineData(null, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, false, true)]
    public async Task Exportable_defaults_to_Keys_ExportableByDefault_unless_given(bool? requested, bool byDefault, bool expected)
    {
        var result = await Handler(new KeyOptions { ExportableByDefault = byDefault })
            .Handle(new RegisterIdentity("alice@example.com", Exportable: requested), CancellationToken.None);

        _stored!.Exportable.Should().Be(expected);
        result.Exportable.Should().Be(expected);
    }

    [Fact]
    public async Task The_key_is_generated_on_the_callers_fair_share()
    {
        await Handler().Handle(new RegisterIdentity("alice@example.com"), CancellationToken.None);

        _keyFactory.Verify(f => f.CreateManyAsync(It.IsAny<KeySize>(), 2, Ports.FairShareKey, It.IsAny<CancellationToken>()), Times.Once, "a version holds an encryption and a signing key pair, made as one piece of work");
    }

    [Fact]
    public async Task Registration_records_one_Registered_event_in_the_same_write_as_the_identity()
    {
        await Handler().Handle(new RegisterIdentity("alice@example.com"), CancellationToken.None);

        _storedEvents.Should().Equal(Ports.Expected(_stored!.Id, AuditAction.Registered, AuditOutcome.Success, 1));
        _ports.Appended.Should().BeEmpty("the event is written atomically with the identity, not appended separately");
    }

    [Fact]
    public async Task Asking_for_the_private_key_of_an_exportable_identity_returns_its_PEM_and_records_an_export()
    {
        var result = await Handler().Handle(new RegisterIdentity("alice@example.com", KeySize: 3072, Exportable: true, IncludePrivateKey: true), CancellationToken.None);

        result.PrivateKeyPem.Should().Be("PRIVATE KEY pkcs8-3072-0");
        _storedEvents.Should().Equal(
            Ports.Expected(_stored!.Id, AuditAction.Registered, AuditOutcome.Success, 1),
            Ports.Expected(_stored.Id, AuditAction.Exported, AuditOutcome.Success, 1));
    }

    [Fact]
    public async Task Asking_for_the_private_key_of_a_non_exportable_identity_withholds_it_and_records_no_export()
    {
        var result = await Handler().Handle(new RegisterIdentity("alice@example.com", Exportable: false, IncludePrivateKey: true), CancellationToken.None);

        result.PrivateKeyPem.Should().BeNull();
        _storedEvents.Should().ContainSingle().Which.Action.Should().Be(AuditAction.Registered);
    }

    [Fact]
    public async Task The_generated_private_key_is_wiped_once_registration_is_done()
    {
        await Handler().Handle(new RegisterIdentity("alice@example.com", IncludePrivateKey: true), CancellationToken.None);

        _generated.Should().HaveCount(2);
        foreach (var pair in _generated)
        {
            var read = () => pair.PrivateKeyPkcs8.ToArray();
            read.Should().Throw<ObjectDisposedException>();
        }
    }

    private RegisterIdentityHandler Handler(KeyOptions? options = null) => new(
        _ports.Store.Object,
        _keyFactory.Object,
        _ports.Request.Object,
        _ports.Protector,
        _apiKeys.Object,
        _ports.Formatter,
        _ports.Audit,
        _ports.Clock,
        Options.Create(options ?? new KeyOptions()),
        Options.Create(new RegistrationOptions { EmailVerification = EmailVerificationMode.Off }),
        new VerificationCodes(new Mock<IRegistrationStore>().Object, new Mock<IServiceProvider>().Object, Options.Create(new RegistrationOptions()), _ports.Clock));
}

/// <summary>A pair the fake factory handed out, with a copy of its private key taken before the handler wipes it.</summary>
internal sealed record GeneratedPair(RsaKeyPair Pair)
{
    public byte[] PublicKey => Pair.PublicKey;

    public byte[] PrivateKeyPkcs8Copy { get; } = Pair.PrivateKeyPkcs8.ToArray();

    public ReadOnlySpan<byte> PrivateKeyPkcs8 => Pair.PrivateKeyPkcs8;
}
