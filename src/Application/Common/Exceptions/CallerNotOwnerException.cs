namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// An owner-only operation was asked for with another identity's key (403). Nothing was done; the
/// refusal is counted in the identity's audit trail when the address is registered.
/// </summary>
public sealed class CallerNotOwnerException() : ClientFacingException(ProblemKind.Forbidden, Detail)
{
    /// <summary>What the client is told (the HTTP policy's 403 says the same).</summary>
    public const string Detail = "This API key does not belong to this identity.";
}
