namespace CryptoSecure.Api.Contracts;

/// <summary>A new code is on its way to the address.</summary>
/// <param name="EmailVerified">False.</param>
/// <param name="VerificationExpiresAt">When the new code stops working (for a pending registration: when it is destroyed unless verified).</param>
public sealed record VerificationPendingResponse(bool EmailVerified, DateTimeOffset VerificationExpiresAt);
