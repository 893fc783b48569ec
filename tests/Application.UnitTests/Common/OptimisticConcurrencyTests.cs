using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using Moq;

namespace CryptoSecure.Application.UnitTests.Common;

public class OptimisticConcurrencyTests
{
    private static readonly EmailAddress Alice = EmailAddress.Parse(TestIdentity.Email);

    private readonly Ports _ports = new();
    private readonly List<long> _changedFrom = [];

    [Fact]
    public async Task A_change_that_wins_at_once_is_saved_against_the_loaded_revision_and_returned_as_saved()
    {
        var loaded = TestIdentity.Create(versions: 2, revision: 9);

        var saved = await _ports.Store.Object.ChangeAsync(loaded, Configure(2), CancellationToken.None);

        saved.Revision.Should().Be(10);
        saved.Keys.MinDecryptionVersion.Should().Be(2);
        _ports.Saves.Should().ContainSingle().Which.ExpectedRevision.Should().Be(9);
        _ports.Store.Verify(s => s.FindAsync(It.IsAny<EmailAddress>(), It.IsAny<CancellationToken>()), Times.Never, "a won race needs no re-read");
    }

    [Fact]
    public async Task A_lost_race_rereads_and_applies_the_change_to_the_state_that_won()
    {
        var loaded = TestIdentity.Create(versions: 2, revision: 1);
        var winner = TestIdentity.Changed(loaded, versions: 3);
        _ports.Store.Setup(s => s.FindByIdAsync(winner.Id, It.IsAny<CancellationToken>())).ReturnsAsync(winner);
        _ports.ConflictsToRaise = 1;

        var saved = await _ports.Store.Object.ChangeAsync(loaded, Configure(2), CancellationToken.None);

        _changedFrom.Should().Equal(1, 2);
        _ports.Saves.Select(s => s.ExpectedRevision).Should().Equal(1L, 2L);
        saved.Revision.Should().Be(3);
        saved.Keys.Versions.Should().HaveCount(3);
    }

    [Fact]
    public async Task After_MaxAttempts_lost_races_the_conflict_reaches_the_caller()
    {
        var loaded = _ports.Holds(TestIdentity.Create());
        _ports.ConflictsToRaise = int.MaxValue;

        var act = () => _ports.Store.Object.ChangeAsync(loaded, Configure(1), CancellationToken.None);

        await act.Should().ThrowAsync<ConcurrencyConflictException>();
        _ports.Saves.Should().HaveCount(OptimisticConcurrency.MaxAttempts);
    }

    [Fact]
    public async Task An_identity_deleted_during_the_race_is_not_found()
    {
        var loaded = TestIdentity.Create();
        _ports.ConflictsToRaise = 1;

        var act = () => _ports.Store.Object.ChangeAsync(loaded, Configure(1), CancellationToken.None);

        await act.Should().ThrowAsync<IdentityNotFoundException>();
        _ports.Saves.Should().ContainSingle();
    }

    [Fact]
    public async Task An_address_registered_anew_during_the_race_is_another_registration_and_not_changed()
    {
        var loaded = TestIdentity.Create(revision: 5);
        _ports.Holds(TestIdentity.Create(revision: 1));
        _ports.ConflictsToRaise = 1;

        var act = () => _ports.Store.Object.ChangeAsync(loaded, Configure(1), CancellationToken.None);

        await act.Should().ThrowAsync<IdentityNotFoundException>();
        _ports.Saves.Should().ContainSingle("the new registration's revision must never be saved over");
    }

    private Func<Identity, IdentityChange> Configure(int minimum) => current =>
    {
        _changedFrom.Add(current.Revision);
        return new IdentityChange(current.Configure(minimum), [Ports.Expected(current.Id, AuditAction.Configured, AuditOutcome.Success, minimum)]);
    };
}
