using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Api.Contracts;

/// <summary>One audit event.</summary>
/// <param name="OccurredAt">When (UTC); for an aggregated refusal, its first occurrence.</param>
/// <param name="Action">What happened.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Actor">Which kind of credential acted.</param>
/// <param name="KeyVersion">The key version involved, if any.</param>
/// <param name="ClientAddress">The client's address.</param>
/// <param name="RequestId">The request id (the <c>X-Request-Id</c> response header); for an aggregated refusal, the first request's.</param>
/// <param name="Kind">"owner" (the owner's or an admin's actions, and the registration), "public" (encryptions by anyone else) or "denied" (refusals of other callers).</param>
/// <param name="Count">How many occurrences the event stands for: 1, or more for refusals of one caller kind from one address within one UTC minute, which are counted into one event.</param>
/// <param name="LastOccurredAt">When the last of them happened (equal to <c>occurredAt</c> when <c>count</c> is 1).</param>
public sealed record AuditEventResponse(
    DateTimeOffset OccurredAt,
    AuditAction Action,
    AuditOutcome Outcome,
    AuditActor Actor,
    int? KeyVersion,
    string? ClientAddress,
    string? RequestId,
    AuditKind Kind,
    int Count,
    DateTimeOffset LastOccurredAt);
