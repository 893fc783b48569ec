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
    private readonly List<(long ExpectedRevision, KeyVersion Version, AuditEvent Rotated)> _attempts = [];
    private int _conflictsToRaise;

    public RotateKeyHandlerTests()
    {
        _keyFactory.Setup(f => f.CreateAsync(It.IsAny<KeySize>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((KeySize size, string _, CancellationToken _) => ValueTask.FromResult(new RsaKeyPair(size, "spki-new"u8.ToArray(), "pkcs8-new"u8.ToArray())));
        _ports.Store.Setup(s => s.AddKeyVersionAsync(It.IsAny<Guid>(), It.IsAny<long>(), It.IsAny<KeyVersion>(), It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>()))
            .Returns((Guid _, long revision, KeyVersion version, AuditEvent rotated, CancellationToken _) =>
            {
                _attempts.Add((revision, version, rotated));
                return _attempts.Count <= _conflictsToRaise ? Task.FromException(new ConcurrencyConflictException()) : Task.CompletedTask;
            });
    }

    [Fact]
    public async Task Rotation_adds_the_next_version_sealed_for_its_number_and_records_it_atomically()
    {
        var before = TestIdentity.Create(versions: 1, revision: 4);
        var after = TestIdentity.Changed(before, versions: 2);
        _ports.Store.SetupSequence(s => s.FindAsync(Alice, It.IsAny<CancellationToken>())).ReturnsAsync(before).ReturnsAsync(after);

        var view = await Handler().Handle(new RotateKey("alice@example.com", KeySize: 3072), CancellationToken.None);

        var attempt = _attempts.Should().ContainSingle().Subject;
        attempt.ExpectedRevision.Should().Be(4);
        attempt.Version.Version.Should().Be(2);
        attempt.Version.Size.Should().Be(KeySize.Rsa3072);
        attempt.Version.PublicKey.Should().Equal("spki-new"u8.ToArray());
        attempt.Version.CreatedAt.Should().Be(Ports.Now);
        var binding = new KeyBinding(before.Id, "alice@example.com", 2);
        FakeKeyProtector.OpenedContent(attempt.Version.SealedPrivateKey, binding).Should().Equal("pkcs8-new"u8.ToArray());
        attempt.Rotated.Should().Be(Ports.Expected(before.Id, AuditAction.Rotated, AuditOutcome.Success, 2));
        _ports.Appended.Should().BeEmpty("the event is written atomically with the new version");
        view.LatestVersion.Should().Be(2);
    }

    [Fact]
    public async Task A_concurrent_rotation_makes_the_handler_reread_and_seal_for_the_following_version()
    {
        var read = TestIdentity.Create(versions: 1, revision: 1);
        var afterConcurrentRotation = TestIdentity.Changed(read, versions: 2);
        var afterOurs = TestIdentity.Changed(afterConcurrentRotation, versions: 3);
        _ports.Store.SetupSequence(s => s.FindAsync(Alice, It.IsAny<CancellationToken>()))
            .ReturnsAsync(read).ReturnsAsync(afterConcurrentRotation).ReturnsAsync(afterOurs);
        _conflictsToRaise = 1;

        var view = await Handler().Handle(new RotateKey("alice@example.com"), CancellationToken.None);

        _ports.Protector.SealedFor.Select(b => b.Version).Should().Equal(2, 3);
        _attempts.Select(a => (a.ExpectedRevision, a.Version.Version)).Should().Equal((1L, 2), (2L, 3));
        FakeKeyProtector.OpenedContent(_attempts[1].Version.SealedPrivateKey, new KeyBinding(read.Id, "alice@example.com", 3))
            .Should().Equal("pkcs8-new"u8.ToArray());
        _attempts[1].Rotated.KeyVersion.Should().Be(3);
        _keyFactory.Verify(f => f.CreateAsync(It.IsAny<KeySize>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        view.LatestVersion.Should().Be(3);
    }

    [Fact]
    public async Task Rotation_gives_up_after_MaxAttempts_lost_races_with_a_conflict()
    {
        _ports.Holds(TestIdentity.Create());
        _conflictsToRaise = int.MaxValue;

        var act = () => Handler().Handle(new RotateKey("alice@example.com"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<ConcurrencyConflictException>();
        _attempts.Should().HaveCount(RotateKeyHandler.MaxAttempts);
        _keyFactory.Verify(f => f.CreateAsync(It.IsAny<KeySize>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(null, 4096)]
    [InlineData(2048, 2048)]
    public async Task Rotation_without_a_key_size_uses_Keys_DefaultKeySize(int? requested, int expectedBits)
    {
        _ports.Holds(TestIdentity.Create());

        await Handler(new KeyOptions { DefaultKeySize = 4096 }).Handle(new RotateKey("alice@example.com", requested), CancellationToken.None);

        _keyFactory.Verify(f => f.CreateAsync(KeySize.FromBits(expectedBits), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        _attempts.Should().ContainSingle().Which.Version.Size.Bits.Should().Be(expectedBits);
    }

    [Fact]
    public async Task The_new_key_is_generated_on_the_callers_fair_share()
    {
        var before = TestIdentity.Create(versions: 1, revision: 1);
        _ports.Store.SetupSequence(s => s.FindAsync(Alice, It.IsAny<CancellationToken>())).ReturnsAsync(before).ReturnsAsync(TestIdentity.Changed(before, versions: 2));

        await Handler().Handle(new RotateKey("alice@example.com"), CancellationToken.None);

        _keyFactory.Verify(f => f.CreateAsync(It.IsAny<KeySize>(), Ports.FairShareKey, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Rotating_an_unknown_identity_fails_with_not_found_without_generating_a_key()
    {
        var act = () => Handler().Handle(new RotateKey("nobody@example.com"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
        _keyFactory.Verify(f => f.CreateAsync(It.IsAny<KeySize>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private RotateKeyHandler Handler(KeyOptions? options = null) => new(
        _ports.Store.Object, _keyFactory.Object, _ports.Request.Object, _ports.Protector, _ports.Formatter, _ports.Audit, _ports.Clock, Options.Create(options ?? new KeyOptions()));
}
