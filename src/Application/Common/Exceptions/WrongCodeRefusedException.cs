namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// A one-time code that is not the one waited for (400): wrong, expired, used up by
/// <see cref="Domain.Identities.OneTimeCode.MaxFailures"/> wrong entries, or never sent. One answer for every cause.
/// </summary>
public sealed class WrongCodeRefusedException() : ClientFacingException(
    ProblemKind.WrongCode, "The code is wrong or no longer valid. After 5 wrong codes, or once it expired, ask for a new one.");
