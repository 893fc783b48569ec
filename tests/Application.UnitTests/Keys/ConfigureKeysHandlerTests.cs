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

    [Fact]
    public async Task A_minimum_above_the_latest_version_is_rejected_naming_the_latest()
    {
        _ports.Holds(TestIdentity.Create(versions: 2));

        var act = () => Handler().Handle(new ConfigureKeys("alice@example.com", 3), CancellationToken.None).AsTask();

        var failure = (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainSingle().Subject;
        failure.PropertyName.Should().Be("minDecryptionVersion");
        failure.ErrorMessage.Should().Be("minDecryptionVersion must lie between 1 and the latest version (2).");
        _ports.Saves.Should().BeEmpty();
    }

    [Fact]
    public async Task Configuring_saves_the_new_minimum_against_the_revision_read_with_its_event()
    {
        var before = _ports.Holds(TestIdentity.Create(versions: 3, revision: 7));

        var view = await Handler().Handle(new ConfigureKeys("alice@example.com", 2), CancellationToken.None);

        var save = _ports.Saves.Should().ContainSingle().Subject;
        save.ExpectedRevision.Should().Be(7);
        save.Next.Revision.Should().Be(8);
        save.Next.Keys.MinDecryptionVersion.Should().Be(2);
        save.Next.Keys.Versions.Should().Equal(before.Keys.Versions);
        save.AuditEvents.Should().Equal(Ports.Expected(before.Id, AuditAction.Configured, AuditOutcome.Success, 2));
        view.MinDecryptionVersion.Should().Be(2);
    }

    [Fact]
    public async Task A_concurrent_change_makes_the_handler_reread_and_save_against_the_new_revision()
    {
        var before = TestIdentity.Create(versions: 2, revision: 3);
        var rotatedMeanwhile = TestIdentity.Changed(before, versions: 3);
        _ports.Store.SetupSequence(s => s.FindAsync(Alice, It.IsAny<CancellationToken>())).ReturnsAsync(before).ReturnsAsync(rotatedMeanwhile);
        _ports.ConflictsToRaise = 1;

        var view = await Handler().Handle(new ConfigureKeys("alice@example.com", 2), CancellationToken.None);

        _ports.Saves.Select(s => s.ExpectedRevision).Should().Equal(3L, 4L);
        _ports.Saves[1].Next.Keys.Versions.Should().HaveCount(3, "the change is applied to the state that won the race");
        view.LatestVersion.Should().Be(3);
    }

    [Fact]
    public async Task The_bound_is_checked_again_against_the_ring_that_won_the_race()
    {
        var before = TestIdentity.Create(versions: 3, revision: 3);
        var shorterRing = TestIdentity.Create(versions: 2, revision: 4, id: before.Id);
        _ports.Store.SetupSequence(s => s.FindAsync(Alice, It.IsAny<CancellationToken>())).ReturnsAsync(before).ReturnsAsync(shorterRing);
        _ports.ConflictsToRaise = 1;

        var act = () => Handler().Handle(new ConfigureKeys("alice@example.com", 3), CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainSingle().Which.ErrorMessage.Should().Contain("(2)");
        _ports.Saves.Should().ContainSingle();
    }

    [Fact]
    public async Task Configuring_an_unknown_identity_fails_with_not_found()
    {
        var act = () => Handler().Handle(new ConfigureKeys("nobody@example.com", 1), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
        _ports.Saves.Should().BeEmpty();
    }

    private ConfigureKeysHandler Handler() => new(_ports.Store.Object, _ports.Formatter, _ports.Audit, _ports.Request.Object);
}
