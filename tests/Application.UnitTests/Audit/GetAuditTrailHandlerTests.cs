using CryptoSecure.Application.Audit.Queries.GetAuditTrail;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using FluentValidation;
using Moq;

namespace CryptoSecure.Application.UnitTests.Audit;

public class GetAuditTrailHandlerTests
{
    private readonly Ports _ports = new();
    private readonly Mock<IAuditCursors> _cursors = new();

    [Fact]
    public async Task A_cursor_that_does_not_open_for_this_identity_and_kind_is_a_validation_error_and_the_store_is_not_asked()
    {
        var identity = _ports.Holds(TestIdentity.Create());
        _cursors.Setup(c => c.Open(identity.Id, AuditKind.Denied, "someone-elses")).Returns((AuditPosition?)null);

        var act = () => Handler().Handle(new GetAuditTrail("alice@example.com", "someone-elses", Kind: "denied"), CancellationToken.None).AsTask();

        var failure = (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainSingle().Subject;
        failure.PropertyName.Should().Be("cursor");
        failure.ErrorMessage.Should().Be("cursor is not one this service issued.");
        _ports.Trail.Verify(t => t.ReadAsync(It.IsAny<Guid>(), It.IsAny<AuditKind?>(), It.IsAny<AuditPosition?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_position_the_store_refuses_becomes_the_same_validation_error_without_the_stores_reason()
    {
        var identity = _ports.Holds(TestIdentity.Create());
        var position = new AuditPosition([1]);
        _cursors.Setup(c => c.Open(identity.Id, null, "c1")).Returns(position);
        _ports.Trail.Setup(t => t.ReadAsync(identity.Id, null, position, It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ArgumentException("Position mismatch at offset 17.", "after"));

        var act = () => Handler().Handle(new GetAuditTrail("alice@example.com", "c1"), CancellationToken.None).AsTask();

        var failure = (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainSingle().Subject;
        failure.PropertyName.Should().Be("cursor");
        failure.ErrorMessage.Should().NotContain("offset 17", "the store's own reason is not for clients");
    }

    [Fact]
    public async Task A_page_of_one_kind_is_read_from_the_opened_position_and_its_next_position_is_sealed_for_the_same_identity_and_kind()
    {
        var identity = _ports.Holds(TestIdentity.Create());
        var (after, next) = (new AuditPosition([1]), new AuditPosition([2]));
        var events = new[] { Ports.Expected(identity.Id, AuditAction.Rotated, AuditOutcome.Success, 2) };
        _cursors.Setup(c => c.Open(identity.Id, AuditKind.Owner, "c1")).Returns(after);
        _cursors.Setup(c => c.Seal(identity.Id, AuditKind.Owner, next)).Returns("c2");
        _ports.Trail.Setup(t => t.ReadAsync(identity.Id, AuditKind.Owner, after, 25, It.IsAny<CancellationToken>())).ReturnsAsync(new AuditPage(events, next));

        var page = await Handler().Handle(new GetAuditTrail("alice@example.com", "c1", 25, "Owner"), CancellationToken.None);

        page.Email.Should().Be(TestIdentity.Email);
        page.Events.Should().Equal(events);
        page.NextCursor.Should().Be("c2");
    }

    [Fact]
    public async Task The_last_page_has_no_cursor()
    {
        var identity = _ports.Holds(TestIdentity.Create());
        _ports.Trail.Setup(t => t.ReadAsync(identity.Id, null, null, GetAuditTrail.DefaultLimit, It.IsAny<CancellationToken>())).ReturnsAsync(new AuditPage([], null));

        var page = await Handler().Handle(new GetAuditTrail("alice@example.com"), CancellationToken.None);

        page.NextCursor.Should().BeNull();
        _cursors.Verify(c => c.Seal(It.IsAny<Guid>(), It.IsAny<AuditKind?>(), It.IsAny<AuditPosition>()), Times.Never);
    }

    [Fact]
    public async Task Reading_the_trail_of_an_unknown_identity_fails_with_not_found()
    {
        var act = () => Handler().Handle(new GetAuditTrail("nobody@example.com"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
        _ports.Trail.Verify(t => t.ReadAsync(It.IsAny<Guid>(), It.IsAny<AuditKind?>(), It.IsAny<AuditPosition?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private GetAuditTrailHandler Handler() => new(_ports.Lookup, _ports.Trail.Object, _cursors.Object);
}
