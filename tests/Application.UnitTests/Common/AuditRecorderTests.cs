using CryptoSecure.Application.UnitTests.TestDoubles;
using CryptoSecure.Domain.Audit;
using Moq;

namespace CryptoSecure.Application.UnitTests.Common;

public class AuditRecorderTests
{
    private readonly Ports _ports = new();

    [Fact]
    public void An_event_is_stamped_with_the_clock_the_callers_credential_for_that_identity_and_the_request()
    {
        var identityId = Guid.NewGuid();
        _ports.Request.Setup(r => r.ActorFor(identityId)).Returns(AuditActor.Admin);
        _ports.Clock.Advance(TimeSpan.FromMinutes(5));

        var recorded = _ports.Audit.Create(identityId, AuditAction.Rotated, AuditOutcome.Success, 4);

        recorded.Should().Be(new AuditEvent(
            identityId, Ports.Now.AddMinutes(5), AuditAction.Rotated, AuditOutcome.Success, AuditActor.Admin, 4, Ports.ClientAddress, Ports.RequestId));
    }

    [Fact]
    public async Task Recording_appends_the_event_to_the_trail()
    {
        var identityId = Guid.NewGuid();

        await _ports.Audit.RecordAsync(identityId, AuditAction.Decrypted, AuditOutcome.Failure, null, CancellationToken.None);

        _ports.Appended.Should().Equal(Ports.Expected(identityId, AuditAction.Decrypted, AuditOutcome.Failure, null));
        _ports.Trail.Verify(t => t.AppendAsync(It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>()), Times.Once);
    }
}
