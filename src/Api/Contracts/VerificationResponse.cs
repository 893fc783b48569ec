namespace CryptoSecure.Api.Contracts;

/// <summary>Whether a signature verifies.</summary>
/// <param name="Valid">True when it verifies with one of the identity's signing keys.</param>
/// <param name="KeyVersion">The key version whose signing key verified it; null when it does not verify.</param>
public sealed record VerificationResponse(bool Valid, int? KeyVersion);
