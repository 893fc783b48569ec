using CryptoSecure.Application.Common.Exceptions;
using Microsoft.AspNetCore.WebUtilities;

namespace CryptoSecure.Api.Errors;

/// <summary>
/// Every error answer the server gives, by problem type, status and title: clients switch on the
/// type (and read the title), so these are the contract, defined here once. Each place that
/// answers an error takes its <see cref="Problem"/> from here and adds only the detail for its case.
/// </summary>
public static class ProblemCatalogue
{
    /// <summary>Invalid input, with an "errors" map per field.</summary>
    public static readonly Problem Validation = new(ProblemTypes.Validation, StatusCodes.Status400BadRequest, "The request is not valid.");

    /// <summary>Any decryption failure: one answer for every cause, so the answer tells nothing about it.</summary>
    public static readonly Problem DecryptionFailed = new(ProblemTypes.DecryptionFailed, StatusCodes.Status400BadRequest, "Decryption failed");

    /// <summary>A request that could not be read, or refused without a more precise reason.</summary>
    public static readonly Problem BadRequest = new(ProblemTypes.ClientError, StatusCodes.Status400BadRequest, "Bad request");

    /// <summary>No or unknown API key.</summary>
    public static readonly Problem Unauthorized = new(ProblemTypes.Unauthorized, StatusCodes.Status401Unauthorized, "Unauthorized");

    /// <summary>Another identity's key, or not allowed for this identity whoever asks.</summary>
    public static readonly Problem Forbidden = new(ProblemTypes.Forbidden, StatusCodes.Status403Forbidden, "Forbidden");

    /// <summary>No such identity, key version or route.</summary>
    public static readonly Problem NotFound = new(ProblemTypes.NotFound, StatusCodes.Status404NotFound, "Not found");

    /// <summary>The route does not take this HTTP method.</summary>
    public static readonly Problem MethodNotAllowed = new(ProblemTypes.ClientError, StatusCodes.Status405MethodNotAllowed, "Method not allowed");

    /// <summary>The address is already registered.</summary>
    public static readonly Problem AlreadyRegistered = new(ProblemTypes.Conflict, StatusCodes.Status409Conflict, "Already registered");

    /// <summary>Concurrent changes kept winning; trying again should work.</summary>
    public static readonly Problem ConcurrentChange = new(ProblemTypes.Conflict, StatusCodes.Status409Conflict, "Concurrent change");

    /// <summary>The identity's deletion is pending: disabled until restored (or shredded).</summary>
    public static readonly Problem PendingDeletion = new(ProblemTypes.PendingDeletion, StatusCodes.Status409Conflict, "Deletion pending");

    /// <summary>The body is larger than the server accepts.</summary>
    public static readonly Problem PayloadTooLarge = new(ProblemTypes.PayloadTooLarge, StatusCodes.Status413PayloadTooLarge, "Request body too large");

    /// <summary>The body is not JSON.</summary>
    public static readonly Problem UnsupportedMediaType = new(ProblemTypes.UnsupportedMediaType, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type");

    /// <summary>Rate limited; with Retry-After.</summary>
    public static readonly Problem TooManyRequests = new(ProblemTypes.TooManyRequests, StatusCodes.Status429TooManyRequests, "Too many requests");

    /// <summary>Anything unexpected; its details stay in the log.</summary>
    public static readonly Problem Internal = new(ProblemTypes.Internal, StatusCodes.Status500InternalServerError, "Internal error");

    /// <summary>At capacity for CPU-heavy work; with Retry-After.</summary>
    public static readonly Problem Busy = new(ProblemTypes.Unavailable, StatusCodes.Status503ServiceUnavailable, "Service busy");

    /// <summary>The key store is not reachable (or not ready yet); with Retry-After.</summary>
    public static readonly Problem Unavailable = new(ProblemTypes.Unavailable, StatusCodes.Status503ServiceUnavailable, "Service unavailable");

    /// <summary>The deployment does not do this; the detail says what to use instead.</summary>
    public static readonly Problem NotSupported = new(ProblemTypes.NotSupported, StatusCodes.Status501NotImplemented, "Not supported");

    /// <summary>Every entry above (the answers for other bare statuses, <see cref="ForStatus"/>, follow one rule instead).</summary>
    public static IReadOnlyList<Problem> All { get; } =
    [
        Validation, DecryptionFailed, BadRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, AlreadyRegistered,
        ConcurrentChange, PendingDeletion, PayloadTooLarge, UnsupportedMediaType, TooManyRequests, Internal, Busy, Unavailable, NotSupported,
    ];

    /// <summary>The answer to a use case's refusal of <paramref name="kind"/> (see <see cref="ClientFacingException"/>).</summary>
    public static Problem For(ProblemKind kind) => kind switch
    {
        ProblemKind.NotFound => NotFound,
        ProblemKind.AlreadyExists => AlreadyRegistered,
        ProblemKind.ConcurrentChange => ConcurrentChange,
        ProblemKind.Unauthenticated => Unauthorized,
        ProblemKind.Forbidden => Forbidden,
        ProblemKind.DecryptionFailed => DecryptionFailed,
        ProblemKind.Busy => Busy,
        ProblemKind.PendingDeletion => PendingDeletion,
        ProblemKind.NotSupported => NotSupported,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A problem kind without an answer in the catalogue."),
    };

    /// <summary>
    /// The answer for a bare status, when nothing more is known (routing's 404/405/415, an unreadable
    /// body): the status's own entry if it has a general one, otherwise client-error (internal for
    /// 5xx) titled by the status's reason phrase.
    /// </summary>
    public static Problem ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => BadRequest,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        _ => new(status >= 500 ? ProblemTypes.Internal : ProblemTypes.ClientError, status, ReasonPhrases.GetReasonPhrase(status)),
    };
}
