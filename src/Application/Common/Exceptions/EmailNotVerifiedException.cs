namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// The identity has not proven its address yet and may not do this (403): a pending registration
/// cannot sign, since a signature would vouch for an address nobody proved.
/// </summary>
public sealed class EmailNotVerifiedException() : ClientFacingException(
    ProblemKind.EmailNotVerified, "Verify the email address first (POST /api/v1/users/{email}/email-verification with the mailed code).");
