namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>No identity is registered under the address (404).</summary>
public sealed class IdentityNotFoundException() : ClientFacingException(ProblemKind.NotFound, "No identity is registered for this email address.");
