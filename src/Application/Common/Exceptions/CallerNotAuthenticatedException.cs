namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// An owner-only operation was asked for with no credential, or one that did not authenticate
/// (401). Nothing was done, and nothing is recorded: strangers cannot fill a trail without a key.
/// </summary>
public sealed class CallerNotAuthenticatedException() : ClientFacingException(ProblemKind.Unauthenticated, Detail)
{
    /// <summary>What the client is told (the HTTP policy's 401 says the same).</summary>
    public const string Detail = "This operation needs the identity's API key: send Authorization: Bearer <apiKey> (or X-Api-Key).";
}
