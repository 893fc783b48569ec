namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>The address is already verified: there is no registration code to send or enter (409).</summary>
public sealed class AlreadyVerifiedRefusedException() : ClientFacingException(ProblemKind.AlreadyVerified, "The address of this identity is already verified.");
