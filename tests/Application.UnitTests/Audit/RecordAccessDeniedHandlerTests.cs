using CryptoSecure.Application.Audit.Commands.RecordAccessDenied;
using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Application.UnitTests.Audit;

public class RecordAccessDeniedHandlerTests
{
    private readonly Ports _ports = new();

    [Fact]
    public async Task A_denial_on_a_registered_address_is_recorded_in_its_trail()
    {
        var identity = _ports.Holds(TestIdentity.Create());
        _ports.Request.Setup(r => r.ActorFor(identity.Id)).Returns(AuditActor.Other);

        await new RecordAccessDeniedHandler(_ports.Store.Object, _ports.Audit).Handle(new RecordAccessDenied("ALICE@example.com"), CancellationToken.None);

        _ports.Appended.Should().ContainSingle().Which.Should().Be(
            Ports.Expected(identity.Id, AuditAction.Denied, AuditOutcome.Denied, null) with { Actor = AuditActor.Other });
    }

    [Theory]
    [InlineData("nobody@example.com")]
    [InlineData("not an address")]
    public async Task Nothing_is_recorded_for_an_address_that_is_not_registered(string email)
    {
        await new RecordAccessDeniedHandler(_ports.Store.Object, _ports.Audit).Handle(new RecordAccessDenied(email), CancellationToken.None);

        _ports.Appended.Should().BeEmpty();
    }
}
