using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Keys.Commands.RotateKey;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using Microsoft.Extensions.Options;
using Moq;

namespace CryptoSecure.Application.UnitTests.Keys;

public class RotateKeyHandlerTests
{
    private static readonly EmailAddress Alice = EmailAddress.Parse(TestIdentity.Email);

    private readonly Ports _ports = new();
    private readonly Mock<IRsaKeyFactory> _keyFactory = new();

    public RotateKeyHandlerTests() =>
        _keyFactory.Setup(f => f.CreateManyAsync(It.IsAny<KeySize>(), It.IsAny<int>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((KeySize size, int count, string _, CancellationToken _) => ValueTask.FromResult<IReadOnlyList<RsaKeyPair>>(
                [.. Enumerable.Range(0, count).Select(_ => new RsaKeyPair(size, "spki-new"u8.ToArray(), "pkcs8-new"u8.ToArray()))]));

    [Fact]
    public async Task Rotation_saves_the_next_version_sealed_for_its_number_with_its_event_against_the_revision_read()
    {
        var before = _ports.Holds(TestIdentity.Create(versions: 1, revision: 4));

        var view = await Handler().Handle(new RotateKey("alice@example.com", KeySize: 3072), CancellationToken.None);

        var save = _ports.Saves.Should().ContainSingle().Subject;
        save.ExpectedRevision.Should().Be(4);
        save.Next.Revision.Should().Be(5);
        save.Next.Id.Should().Be(before.Id);
        var added = save.Next.Keys.Latest;
        added.Version.Should().Be(2);
        added.Size.Should().Be(KeySize.Rsa3072);
        added.PublicKey.Should().Equal("spki-new"u8.ToArray());
        added.CreatedAt.Should().Be(Ports.Now);
        save.Next.Keys.Versions[0].Should().BeSameAs(before.Keys.Versions[0]);
        FakeKeyProtector.OpenedContent(added.SealedPrivateKey, new KeyBinding(before.Id, "alice@example.com", 2)).Should().Equal("pkcs8-new"u8.ToArray());
        added.SigningKey.Should().NotBeNull("rotation renews the signing key too");
        FakeKeyProtector.OpenedContent(added.SigningKey!.SealedPrivateKey, new KeyBinding(before.Id, "alice@example.com", 2, KeyPurpose.Signing)).Should().Equal("pkcs8-new"u8.ToArray());
        save.AuditEvents.Should().Equal(Ports.Expected(before.Id, AuditAction.Rotated, AuditOutcome.Success, 2));
        _ports.Appended.Should().BeEmpty("the event is written atomically with the new version");
        view.LatestVersion.Should().Be(2);
        view.Keys.Select(k => k.Version).Should().Equal(1, 2);
    }

    [Fact]
    public async Task A_concurrent_rotation_makes_the_handler_reread_and_seal_for_the_following_version()
    {
        var read = TestIdentity.Create(versions: 1, revision: 1);
        var afterConcurrentRotation = TestIdentity.Changed(read, versions: 2);
        _ports.Store.Setup(s => s.FindAsync(Alice, It.IsAny<CancellationToken>())).ReturnsAsync(read);
        _ports.Store.Setup(s => s.FindByIdAsync(afterConcurrentRotation.Id, It.IsAny<CancellationToken>())).ReturnsAsync(afterConcurrentRotation);
        _ports.ConflictsToRaise = 1;

        var view = await Handler().Handle(new RotateKey("alice@example.com"), CancellationToken.None);

        _ports.Protector.SealedFor.Select(b => (b.Version, b.Purpose)).Should().Equal(
            (2, KeyPurpose.Encryption), (2, KeyPurpose.Signing), (3, KeyPurpose.Encryption), (3, KeyPurpose.Signing));
        _ports.Saves.Select(s => (s.ExpectedRevision, s.Next.Keys.Latest.Version)).Should().Equal((1L, 2), (2L, 3));
        FakeKeyProtector.OpenedContent(_ports.Saves[1].Next.Keys.Latest.SealedPrivateKey, new KeyBinding(read.Id, "alice@example.com", 3))
            .Should().Equal("pkcs8-new"u8.ToArray());
        _ports.Saves[1].AuditEvents.Should().ContainSingle().Which.KeyVersion.Should().Be(3);
        _keyFactory.Verify(f => f.CreateManyAsync(It.IsAny<KeySize>(), 2, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once, "a version holds an encryption and a signing key pair, made as one piece of work");
        view.LatestVersion.Should().Be(3);
    }

    [Fact]
    public async Task Rotation_gives_up_after_MaxAttempts_lost_races_with_a_conflict_having_generated_one_key()
    {
        _ports.Holds(TestIdentity.Create());
        _ports.ConflictsToRaise = int.MaxValue;

        var act = () => Handler().Handle(new RotateKey("alice@example.com"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<ConcurrencyConflictException>();
        _ports.Saves.Should().HaveCount(OptimisticConcurrency.MaxAttempts);
        _keyFactory.Verify(f => f.CreateManyAsync(It.IsAny<KeySize>(), 2, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once, "a version holds an encryption and a signing key pair, made as one piece of work");
    }

    [Theory]
    [InlineData(null, 4096)]
    [InlineData(2048, 2048)]
    public async Task Rotation_without_a_key_size_uses_Keys_DefaultKeySize(int? requested, int expectedBits)
    {
        _ports.Holds(TestIdentity.Create());

        await Handler(new KeyOptions { DefaultKeySize = 4096 }).Handle(new RotateKey("alice@example.com", requested), CancellationToken.None);

        _keyFactory.Verify(f => f.CreateManyAsync(KeySize.FromBits(expectedBits), 2, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once, "a version holds an encryption and a signing key pair, made as one piece of work");
        _ports.Saves.Should().ContainSingle().Which.Next.Keys.Latest.Size.Bits.Should().Be(expectedBits);
    }

    [Fact]
    public async Task The_new_key_is_generated_on_the_callers_fair_share()
    {
        _ports.Holds(TestIdentity.Create());

        await Handler().Handle(new RotateKey("alice@example.com"), CancellationToken.None);

        _keyFactory.Verify(f => f.CreateManyAsync(It.IsAny<KeySize>(), 2, Ports.FairShareKey, It.IsAny<CancellationToken>()), Times.Once, "a version holds an encryption and a signing key pair, made as one piece of work");
    }

    [Fact]
    public async Task Rotating_an_unknown_identity_fails_with_not_found_without_generating_a_key()
    {
        var act = () => Handler().Handle(new RotateKey("nobody@example.com"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
        _keyFactory.Verify(f => f.CreateManyAsync(It.IsAny<KeySize>(), It.IsAny<int>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _ports.Saves.Should().BeEmpty();
    }

    private RotateKeyHandler Handler(KeyOptions? options = null) => new(
        _ports.Store.Object, _ports.Lookup, _keyFactory.Object, _ports.Request.Object, _ports.Protector, _ports.Formatter, _ports.Audit, _ports.Clock, Options.Create(options ?? new KeyOptions()));
}
