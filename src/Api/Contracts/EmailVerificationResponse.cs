namespace CryptoSecure.Api.Contracts;

/// <summary>The address is proven.</summary>
/// <param name="EmailVerified">True.</param>
public sealed record EmailVerificationResponse(bool EmailVerified);
