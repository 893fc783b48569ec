using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Keys.Commands.ConfigureKeys;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Moq;

namespace CryptoSecure.Application.UnitTests.Keys;

public class ConfigureKeysHandlerTests
{
    private static readonly EmailAddress Alice = EmailAddress.Parse(TestIdentity.Email);

    private readonly Ports _ports = new();
    private readonly List<(long ExpectedRevision, int Minimum, AuditEvent Configured)> _writes = [];
    private int _conflictsToRaise;

    public ConfigureKeysHandlerTests() =>
        _ports.Store.Setup(s => s.SetMinDecryptionVersionAsync(It.IsAny<Guid>(), It.IsAny<long>(), It.IsAny<int>(), It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>()))
            .Returns((Guid _, long revision, int minimum, AuditEvent configured, CancellationToken _) =>
            {
                _writes.Add((revision, minimum, configured));
                return _writes.Count <= _conflictsToRaise ? Task.FromException(new ConcurrencyConflictException()) : Task.CompletedTask;
            });

    [Fact]
    public async Task A_minimum_above_the_latest_version_is_rejected_naming_the_latest()
    {
        _ports.Holds(TestIdentity.Create(versions: 2));

        var act = () => Handler().Handle(new ConfigureKeys("alice@example.com", 3), CancellationToken.None).AsTask();

        var failure = (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainSingle().Subject;
        failure.PropertyName.Should().Be("minDecryptionVersion");
        failure.ErrorMessage.Should().Contain("latest version (2)");
        _writes.Should().BeEmpty();
    }

    [Fact]
    public async Task Configuring_writes_against_the_revision_read_and_records_the_change()
    {
        var before = TestIdentity.Create(versions: 3, revision: 7);
        var after = TestIdentity.Changed(before, versions: 3, minDecryptionVersion: 2);
        _ports.Store.SetupSequence(s => s.FindAsync(Alice, It.IsAny<CancellationToken>())).ReturnsAsync(before).ReturnsAsync(after);

        var view = await Handler().Handle(new ConfigureKeys("alice@example.com", 2), CancellationToken.None);

        _writes.Should().Equal((7L, 2, Ports.Expected(before.Id, AuditAction.Configured, AuditOutcome.Success, 2)));
        _ports.Store.Verify(s => s.SetMinDecryptionVersionAsync(before.Id, 7, 2, It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>()), Times.Once);
        view.MinDecryptionVersion.Should().Be(2);
    }

    [Fact]
    public async Task A_concurrent_change_makes_the_handler_reread_and_write_against_the_new_revision()
    {
        var before = TestIdentity.Create(versions: 2, revision: 3);
        var rotatedMeanwhile = TestIdentity.Changed(before, versions: 3);
        var after = TestIdentity.Changed(rotatedMeanwhile, versions: 3, minDecryptionVersion: 2);
        _ports.Store.SetupSequence(s => s.FindAsync(Alice, It.IsAny<CancellationToken>()))
            .ReturnsAsync(before).ReturnsAsync(rotatedMeanwhile).ReturnsAsync(after);
        _conflictsToRaise = 1;

        await Handler().Handle(new ConfigureKeys("alice@example.com", 2), CancellationToken.None);

        _writes.Select(w => w.ExpectedRevision).Should().Equal(3L, 4L);
    }

    [Fact]
    public async Task Configuring_an_unknown_identity_fails_with_not_found()
    {
        var act = () => Handler().Handle(new ConfigureKeys("nobody@example.com", 1), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
        _writes.Should().BeEmpty();
    }

    private ConfigureKeysHandler Handler() => new(_ports.Store.Object, _ports.Formatter, _ports.Audit);
}
