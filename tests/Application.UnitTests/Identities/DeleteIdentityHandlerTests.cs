using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Identities.Commands.DeleteIdentity;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using Microsoft.Extensions.Options;
using Moq;

namespace CryptoSecure.Application.UnitTests.Identities;

public class DeleteIdentityHandlerTests
{
    private readonly Ports _ports = new();

    [Fact]
    public async Task Deleting_an_unknown_identity_fails_with_not_found_and_deletes_nothing()
    {
        var act = () => Handler().Handle(new DeleteIdentity("nobody@example.com"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
        _ports.Store.Verify(s => s.DeleteAsync(It.IsAny<Guid>(), It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task An_identity_gone_by_the_time_of_deletion_fails_with_not_found()
    {
        var identity = _ports.Holds(TestIdentity.Create());
        _ports.Store.Setup(s => s.DeleteAsync(identity.Id, It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var act = () => Handler().Handle(new DeleteIdentity("alice@example.com"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
    }

    [Fact]
    public async Task Deletion_destroys_the_identity_and_records_a_Deleted_event_with_the_latest_version()
    {
        var identity = _ports.Holds(TestIdentity.Create(versions: 2));
        _ports.Store.Setup(s => s.DeleteAsync(identity.Id, It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        await Handler().Handle(new DeleteIdentity("Alice@Example.com"), CancellationToken.None);

        _ports.Store.Verify(
            s => s.DeleteAsync(identity.Id, Ports.Expected(identity.Id, AuditAction.Deleted, AuditOutcome.Success, 2), It.IsAny<CancellationToken>()),
            Times.Once);
    }

    [Fact]
    public async Task With_a_waiting_period_the_identity_is_disabled_until_then_and_nothing_is_destroyed()
    {
        var identity = _ports.Holds(TestIdentity.Create(versions: 2));

        var outcome = await Handler(waitingDays: 7).Handle(new DeleteIdentity("alice@example.com"), CancellationToken.None);

        outcome.DeletesAt.Should().Be(Ports.Now.AddDays(7));
        outcome.Immediate.Should().BeFalse();
        var save = _ports.Saves.Should().ContainSingle().Subject;
        save.ExpectedRevision.Should().Be(identity.Revision);
        save.Next.DeletesAt.Should().Be(Ports.Now.AddDays(7));
        save.Next.Revision.Should().Be(identity.Revision + 1);
        save.AuditEvents.Should().Equal(Ports.Expected(identity.Id, AuditAction.DeletionScheduled, AuditOutcome.Success, 2));
        _ports.Store.Verify(s => s.DeleteAsync(It.IsAny<Guid>(), It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Deleting_a_pending_identity_again_answers_the_time_already_set_and_writes_nothing()
    {
        var pending = _ports.Holds(TestIdentity.Create().ScheduleDeletion(Ports.Now.AddDays(3)));

        var outcome = await Handler(waitingDays: 7).Handle(new DeleteIdentity("alice@example.com"), CancellationToken.None);

        outcome.DeletesAt.Should().Be(Ports.Now.AddDays(3), "a repeated delete must not move the shredding");
        _ports.Saves.Should().BeEmpty();
        pending.IsPendingDeletion.Should().BeTrue();
    }

    [Fact]
    public async Task A_purge_by_the_owner_is_refused_before_anything_is_read()
    {
        _ports.Request.SetupGet(r => r.Caller).Returns(Caller.OwnerOf("alice@example.com"));
        _ports.Holds(TestIdentity.Create());

        var act = () => Handler(waitingDays: 7).Handle(new DeleteIdentity("alice@example.com", Purge: true), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<OperationForbiddenException>();
        _ports.Saves.Should().BeEmpty();
        _ports.Store.Verify(s => s.DeleteAsync(It.IsAny<Guid>(), It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_purge_by_an_admin_destroys_at_once_even_a_pending_identity()
    {
        _ports.Request.SetupGet(r => r.Caller).Returns(Caller.Admin);
        var identity = _ports.Holds(TestIdentity.Create().ScheduleDeletion(Ports.Now.AddDays(3)));
        _ports.Store.Setup(s => s.DeleteAsync(identity.Id, It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var outcome = await Handler(waitingDays: 7).Handle(new DeleteIdentity("alice@example.com", Purge: true), CancellationToken.None);

        outcome.Immediate.Should().BeTrue();
        _ports.Store.Verify(s => s.DeleteAsync(identity.Id, It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    // Immediate deletion (the first release's behaviour) unless a test asks for a waiting period.
    private DeleteIdentityHandler Handler(int waitingDays = 0) =>
        new(_ports.Store.Object, _ports.Audit, _ports.Request.Object, _ports.Clock, Options.Create(new KeyOptions { DeletionWaitingDays = waitingDays }));
}
