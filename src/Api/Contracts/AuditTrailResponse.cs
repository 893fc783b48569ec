namespace CryptoSecure.Api.Contracts;

/// <summary>A page of an identity's audit trail, newest first.</summary>
/// <param name="Email">The address as registered.</param>
/// <param name="Events">Newest first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c>, with the same <c>kind</c>, to read the next (older) page; null on the last page. Opaque, and valid only for this identity and kind.</param>
public sealed record AuditTrailResponse(string Email, IReadOnlyList<AuditEventResponse> Events, string? NextCursor);
