using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using Moq;

namespace CryptoSecure.Application.UnitTests.Identities;

/// <summary>
/// The look-up applies both rules in one place: email ownership's visibility (a pending
/// registration is found only by its owner) and then the lifecycle's pending-deletion rule
/// (409 to the owner or an admin, 404 to everyone else).
/// </summary>
public class IdentityLookupTests
{
    private readonly Ports _ports = new();

    [Fact]
    public async Task A_visible_identity_pending_deletion_is_409_to_its_owner_and_an_admin_and_404_to_the_public()
    {
        var identity = _ports.Holds(TestIdentity.Create().ScheduleDeletion(Ports.Now.AddDays(7)));

        _ports.Request.Setup(r => r.ActorFor(identity.Id)).Returns(AuditActor.Other);
        await FluentActions.Awaiting(() => _ports.Lookup.UsableAsync(TestIdentity.Email, CancellationToken.None)).Should().ThrowAsync<IdentityNotFoundException>();
        await FluentActions.Awaiting(() => _ports.Lookup.ReadableAsync(TestIdentity.Email, CancellationToken.None)).Should().ThrowAsync<IdentityNotFoundException>();

        _ports.Request.SetupGet(r => r.Caller).Returns(Caller.Admin);
        _ports.Request.Setup(r => r.ActorFor(identity.Id)).Returns(AuditActor.Admin);
        (await FluentActions.Awaiting(() => _ports.Lookup.UsableAsync(TestIdentity.Email, CancellationToken.None)).Should().ThrowAsync<PendingDeletionException>())
            .Which.DeletesAt.Should().Be(Ports.Now.AddDays(7));
        (await _ports.Lookup.ReadableAsync(TestIdentity.Email, CancellationToken.None)).Should().BeSameAs(identity);
    }

    [Fact]
    public async Task A_pending_registration_pending_deletion_is_found_by_its_owner_who_is_told_so_and_stays_unknown_to_everyone_else()
    {
        var registration = PendingRegistration().ScheduleDeletion(Ports.Now.AddDays(7));
        // The store finds a pending registration only by id: its address is held by no one.
        _ports.Store.Setup(s => s.FindByIdAsync(registration.Id, It.IsAny<CancellationToken>())).ReturnsAsync(registration);

        await FluentActions.Awaiting(() => _ports.Lookup.UsableAsync(TestIdentity.Email, CancellationToken.None)).Should().ThrowAsync<IdentityNotFoundException>();

        _ports.Request.SetupGet(r => r.Caller).Returns(Caller.OwnerOf(registration.Email.Normalized, registration.Id));
        await FluentActions.Awaiting(() => _ports.Lookup.UsableAsync(TestIdentity.Email, CancellationToken.None)).Should().ThrowAsync<PendingDeletionException>();
        (await _ports.Lookup.ReadableAsync(TestIdentity.Email, CancellationToken.None)).Should().BeSameAs(registration);
    }

    [Fact]
    public async Task A_pending_registration_without_a_deletion_is_usable_by_its_owner_only()
    {
        var registration = PendingRegistration();
        _ports.Store.Setup(s => s.FindByIdAsync(registration.Id, It.IsAny<CancellationToken>())).ReturnsAsync(registration);

        await FluentActions.Awaiting(() => _ports.Lookup.ReadableAsync(TestIdentity.Email, CancellationToken.None)).Should().ThrowAsync<IdentityNotFoundException>();

        _ports.Request.SetupGet(r => r.Caller).Returns(Caller.OwnerOf(registration.Email.Normalized, registration.Id));
        (await _ports.Lookup.UsableAsync(TestIdentity.Email, CancellationToken.None)).Should().BeSameAs(registration);
    }

    private static Identity PendingRegistration()
    {
        var usable = TestIdentity.Create();
        return Identity.Restore(
            usable.Id, usable.Email, usable.ApiKeyHash, usable.Exportable, usable.CreatedAt, usable.Revision, usable.Keys,
            standing: AddressStanding.Pending, pendingUntil: Ports.Now.AddHours(24));
    }
}
