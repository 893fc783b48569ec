using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Identities.Commands.DeleteIdentity;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
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

    private DeleteIdentityHandler Handler() => new(_ports.Store.Object, _ports.Lookup, _ports.Audit);
}
