using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Keys.Queries.ExportPrivateKey;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Application.UnitTests.Keys;

public class ExportPrivateKeyHandlerTests
{
    private readonly Ports _ports = new();

    [Fact]
    public async Task Exporting_from_a_non_exportable_identity_is_forbidden_and_audited_as_denied()
    {
        var identity = _ports.Holds(TestIdentity.Create(versions: 2, exportable: false));

        var act = () => Handler().Handle(new ExportPrivateKey("alice@example.com", 2), CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<OperationForbiddenException>()).Which.Message.Should().Contain("non-exportable");
        _ports.Appended.Should().Equal(Ports.Expected(identity.Id, AuditAction.Exported, AuditOutcome.Denied, 2));
        _ports.Protector.UnsealedFor.Should().BeEmpty();
    }

    [Fact]
    public async Task Exporting_a_version_below_the_minimum_is_forbidden_and_audited_as_denied()
    {
        var identity = _ports.Holds(TestIdentity.Create(versions: 3, minDecryptionVersion: 2));

        var act = () => Handler().Handle(new ExportPrivateKey("alice@example.com", 1), CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<OperationForbiddenException>()).Which.Message.Should().Contain("minimum decryption version (2)");
        _ports.Appended.Should().Equal(Ports.Expected(identity.Id, AuditAction.Exported, AuditOutcome.Denied, 1));
        _ports.Protector.UnsealedFor.Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task Exporting_a_version_the_ring_does_not_have_fails_with_key_version_not_found(int version)
    {
        _ports.Holds(TestIdentity.Create(versions: 3));

        var act = () => Handler().Handle(new ExportPrivateKey("alice@example.com", version), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<KeyVersionNotFoundException>();
        _ports.Protector.UnsealedFor.Should().BeEmpty();
    }

    [Fact]
    public async Task Exporting_an_unknown_identity_fails_with_not_found()
    {
        var act = () => Handler().Handle(new ExportPrivateKey("nobody@example.com"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
    }

    [Fact]
    public async Task Exporting_opens_the_named_version_under_its_binding_and_audits_the_export()
    {
        var identity = _ports.Holds(TestIdentity.Create(versions: 3, minDecryptionVersion: 2));

        var exported = await Handler().Handle(new ExportPrivateKey("ALICE@example.com", 2), CancellationToken.None);

        _ports.Protector.UnsealedFor.Should().Equal(new KeyBinding(identity.Id, "alice@example.com", 2));
        exported.PrivateKeyPem.Should().Be(FakeKeyFormatter.PrivatePemOf(TestIdentity.PrivateKeyOf(2)));
        exported.Version.Should().Be(2);
        exported.Email.Should().Be(TestIdentity.Email);
        _ports.Appended.Should().Equal(Ports.Expected(identity.Id, AuditAction.Exported, AuditOutcome.Success, 2));
    }

    [Fact]
    public async Task Exporting_without_a_version_exports_the_latest()
    {
        _ports.Holds(TestIdentity.Create(versions: 3));

        var exported = await Handler().Handle(new ExportPrivateKey("alice@example.com"), CancellationToken.None);

        exported.Version.Should().Be(3);
        exported.PrivateKeyPem.Should().Be(FakeKeyFormatter.PrivatePemOf(TestIdentity.PrivateKeyOf(3)));
    }

    [Fact]
    public async Task The_opened_private_key_is_wiped_after_formatting()
    {
        _ports.Holds(TestIdentity.Create());

        await Handler().Handle(new ExportPrivateKey("alice@example.com"), CancellationToken.None);

        _ports.Protector.OpenedKeys.Should().ContainSingle().Which.Should().OnlyContain(b => b == 0);
    }

    private ExportPrivateKeyHandler Handler() => new(_ports.Store.Object, _ports.Protector, _ports.Formatter, _ports.Audit, _ports.Request.Object);
}
