using CryptoSecure.Application.Audit.Queries.GetAuditTrail;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using FluentValidation;
using Moq;

namespace CryptoSecure.Application.UnitTests.Audit;

public class GetAuditTrailHandlerTests
{
    private readonly Ports _ports = new();

    [Fact]
    public async Task A_cursor_the_trail_does_not_recognise_becomes_a_validation_error_on_cursor()
    {
        var identity = _ports.Holds(TestIdentity.Create());
        _ports.Trail.Setup(t => t.ReadAsync(identity.Id, "forged", It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ArgumentException("Cursor signature mismatch at offset 17.", "cursor"));

        var act = () => Handler().Handle(new GetAuditTrail("alice@example.com", "forged"), CancellationToken.None).AsTask();

        var failure = (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Should().ContainSingle().Subject;
        failure.PropertyName.Should().Be("cursor");
        failure.ErrorMessage.Should().NotContain("offset 17", "the store's own reason is not for clients");
    }

    [Fact]
    public async Task A_page_is_read_for_the_identitys_registration_with_the_given_cursor_and_limit()
    {
        var identity = _ports.Holds(TestIdentity.Create());
        var events = new[] { Ports.Expected(identity.Id, AuditAction.Encrypted, AuditOutcome.Success, 1) };
        _ports.Trail.Setup(t => t.ReadAsync(identity.Id, "c1", 25, It.IsAny<CancellationToken>())).ReturnsAsync(new AuditPage(events, "c2"));

        var page = await Handler().Handle(new GetAuditTrail("alice@example.com", "c1", 25), CancellationToken.None);

        page.Email.Should().Be(TestIdentity.Email);
        page.Events.Should().Equal(events);
        page.NextCursor.Should().Be("c2");
    }

    [Fact]
    public async Task Reading_the_trail_of_an_unknown_identity_fails_with_not_found()
    {
        var act = () => Handler().Handle(new GetAuditTrail("nobody@example.com"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<IdentityNotFoundException>();
        _ports.Trail.Verify(t => t.ReadAsync(It.IsAny<Guid>(), It.IsAny<string?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private GetAuditTrailHandler Handler() => new(_ports.Store.Object, _ports.Trail.Object);
}
