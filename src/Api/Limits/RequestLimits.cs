using CryptoSecure.Api.Errors;

namespace CryptoSecure.Api.Limits;

/// <summary>Answers for size and media-type limits.</summary>
public static class RequestLimits
{
    /// <summary>413.</summary>
    public static readonly ErrorAnswer TooLarge = ProblemCatalogue.PayloadTooLarge.With(
        "The request body is larger than this server accepts (see Limits:MaxRequestBodyBytes and Encryption:MaxPlaintextBytes).");

    /// <summary>415.</summary>
    public static readonly ErrorAnswer NotJson = ProblemCatalogue.UnsupportedMediaType.With(
        "Send the request body as JSON with Content-Type: application/json.");
}
