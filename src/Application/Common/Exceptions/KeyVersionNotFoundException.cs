namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>The key version named does not exist (404).</summary>
public sealed class KeyVersionNotFoundException() : ClientFacingException(ProblemKind.NotFound, "This identity has no key of that version.");
