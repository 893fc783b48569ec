using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Concurrency;

/// <summary>What one attempt at a change produced: the identity's next state and the audit events that record it.</summary>
/// <param name="Next">The state returned by the aggregate's method(s).</param>
/// <param name="AuditEvents">Saved in the same transaction as <paramref name="Next"/>.</param>
public sealed record IdentityChange(Identity Next, IReadOnlyList<AuditEvent> AuditEvents);
