namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// The key version has no signing key (404): it was written before signatures existed and has not
/// signed since. Only the latest version is given one, on its first sign.
/// </summary>
public sealed class SigningKeyNotFoundException() : ClientFacingException(ProblemKind.NotFound, "This key version has no signing key: it was made before signatures existed and has never signed.");
