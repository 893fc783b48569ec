using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>Who is calling and from where, as the transport knows it.</summary>
public interface IRequestContext
{
    /// <summary>The kind of credential the caller presented for the identity in question.</summary>
    AuditActor ActorFor(Guid identityId);

    /// <summary>The credential the caller presented, for the owner-only rule (see <see cref="Caller.MayActFor"/>).</summary>
    Caller Caller { get; }

    /// <summary>The client's network address, if known.</summary>
    string? ClientAddress { get; }

    /// <summary>
    /// Whose share of per-client limits this request counts against: the client's address, IPv6 by
    /// its /64 (what one subscriber gets), as the rate limiter counts it; "unknown" without one.
    /// </summary>
    string FairShareKey { get; }

    /// <summary>The request id, to match audit events with logs.</summary>
    string? RequestId { get; }
}
