using CryptoSecure.Api.Errors;
using CryptoSecure.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.Limits;

/// <summary>Request body limit (section "Limits").</summary>
public sealed class LimitsOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Limits";

    /// <summary>
    /// Largest request body in bytes. Default: 1.5 × <c>Encryption:MaxPlaintextBytes</c> + 64 KiB, room
    /// for the largest plaintext as base64 (4/3) even when a JSON encoder escapes its '+' signs.
    /// </summary>
    public long? MaxRequestBodyBytes { get; set; }

    /// <summary>The effective limit for a plaintext limit of <paramref name="maxPlaintextBytes"/>.</summary>
    public long EffectiveMaxRequestBodyBytes(int maxPlaintextBytes) =>
        MaxRequestBodyBytes ?? ((long)maxPlaintextBytes * 3 / 2) + (64 * 1024);
}

/// <summary>
/// Refuses bodies whose Content-Length is over the limit with 413 before reading them, in the
/// route's error shape. (Chunked bodies are cut off by Kestrel's MaxRequestBodySize, set to the
/// same limit; the exception handler answers that 413.)
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<LimitsOptions> limits, IOptions<EncryptionOptions> encryption)
{
    private readonly long _limit = limits.Value.EffectiveMaxRequestBodyBytes(encryption.Value.MaxPlaintextBytes);

    /// <summary>Runs the check.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > _limit)
        {
            await ErrorResponder.WriteAsync(context, RequestLimits.TooLarge);
            return;
        }

        await next(context);
    }
}

/// <summary>Answers for size and media-type limits.</summary>
public static class RequestLimits
{
    /// <summary>413.</summary>
    public static readonly ErrorAnswer TooLarge = new(
        StatusCodes.Status413PayloadTooLarge,
        ProblemTypes.PayloadTooLarge,
        "Request body too large",
        "The request body is larger than this server accepts (see Limits:MaxRequestBodyBytes and Encryption:MaxPlaintextBytes).");

    /// <summary>415.</summary>
    public static readonly ErrorAnswer NotJson = new(
        StatusCodes.Status415UnsupportedMediaType,
        ProblemTypes.UnsupportedMediaType,
        "Unsupported media type",
        "Send the request body as JSON with Content-Type: application/json.");
}
