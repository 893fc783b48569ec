namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>The address is already registered (409).</summary>
public sealed class IdentityAlreadyExistsException() : ClientFacingException(ProblemKind.AlreadyExists, "This email address is already registered.");
