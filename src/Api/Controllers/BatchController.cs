using CryptoSecure.Api.Limits;
using CryptoSecure.Api.Contracts;
using CryptoSecure.Api.Errors;
using CryptoSecure.Api.OpenApi;
using CryptoSecure.Api.RateLimiting;
using CryptoSecure.Api.Security;
using CryptoSecure.Application.Batch;
using CryptoSecure.Application.Encryption.Commands.Decrypt;
using CryptoSecure.Application.Encryption.Commands.Encrypt;
using CryptoSecure.Application.Signatures.Commands.Sign;
using CryptoSecure.Application.Signatures.Commands.Verify;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CryptoSecure.Api.Controllers;

/// <summary>
/// Batches of the single encrypt, decrypt, sign and verify operations, for callers who would
/// otherwise pay a round trip per item. Who may call each is as for its single route.
/// </summary>
[ApiController]
[Route("api/v1/users/{email}")]
[Produces("application/json")]
[Tags(ApiTags.Batch)]
public sealed class BatchController(ISender sender) : ControllerBase
{
    /// <summary>Encrypt many items to an identity.</summary>
    /// <remarks>
    /// Each item is the body of POST .../encrypt and is answered in order with its ciphertext or
    /// its error alone; one bad item never fails the others. At most Batch:MaxItems (default 1000)
    /// items. Public: no API key needed.
    /// </remarks>
    /// <param name="email">The recipient.</param>
    /// <param name="request">The items.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">One answer per item, in order.</response>
    /// <response code="400">No items array, no items, or more than the server takes.</response>
    /// <response code="404">No such identity.</response>
    /// <response code="413">Body too large.</response>
    [HttpPost("encrypt/batch", Name = "EncryptBatch")]
    [PublicOperation("Anyone may encrypt to an identity, one item or many: only its owner can decrypt.")]
    [Consumes("application/json")]
    [EnableRateLimiting(RateLimitPolicies.Public)]
    [ProducesResponseType<EncryptBatchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    public async Task<ActionResult<EncryptBatchResponse>> EncryptBatch(string email, EncryptBatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var items = request.Items?.Select(i => new Encrypt(email, i?.Plaintext, i?.PlaintextBase64, i?.Format)).ToList();
        var outcomes = await sender.Send(new EncryptBatch(email, items), cancellationToken);
        return new EncryptBatchResponse(Answer(outcomes, r => ToItem(r.ToResponse()), e => new EncryptBatchItem(null, null, null, e)));
    }

    /// <summary>Decrypt many ciphertexts.</summary>
    /// <remarks>
    /// Each item is the body of POST .../decrypt and is answered in order with its plaintext or its
    /// error alone; every item that does not decrypt, whatever the cause, gets the same error. At
    /// most Batch:MaxItems (default 1000) items. Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity the ciphertexts were made for.</param>
    /// <param name="request">The items.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">One answer per item, in order.</response>
    /// <response code="400">No items array, no items, or more than the server takes.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's.</response>
    /// <response code="404">No such identity.</response>
    /// <response code="413">Body too large.</response>
    [HttpPost("decrypt/batch", Name = "DecryptBatch")]
    [PrivateKeyWork]
    [Consumes("application/json")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<DecryptBatchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    public async Task<ActionResult<DecryptBatchResponse>> DecryptBatch(string email, DecryptBatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var items = request.Items?.Select(i => new Decrypt(email, i?.Ciphertext ?? string.Empty)).ToList();
        var outcomes = await sender.Send(new DecryptBatch(email, items), cancellationToken);
        return new DecryptBatchResponse(Answer(outcomes, r => ToItem(r.ToResponse()), e => new DecryptBatchItem(null, null, null, e)));
    }

    /// <summary>Sign many payloads or digests.</summary>
    /// <remarks>
    /// Each item is the body of POST .../sign and is answered in order with its signature or its
    /// error alone. At most Batch:MaxItems (default 1000) items. Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="request">The items.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">One answer per item, in order.</response>
    /// <response code="400">No items array, no items, or more than the server takes.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's.</response>
    /// <response code="404">No such identity.</response>
    /// <response code="413">Body too large.</response>
    [HttpPost("sign/batch", Name = "SignBatch")]
    [PrivateKeyWork]
    [Consumes("application/json")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<SignBatchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    public async Task<ActionResult<SignBatchResponse>> SignBatch(string email, SignBatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var items = request.Items?.Select(i => new Sign(email, i?.Payload, i?.PayloadBase64, i?.DigestBase64, i?.Format, i?.Algorithm)).ToList();
        var outcomes = await sender.Send(new SignBatch(email, items), cancellationToken);
        return new SignBatchResponse(Answer(outcomes, r => ToItem(r.ToResponse()), e => new SignBatchItem(null, null, null, null, e)));
    }

    /// <summary>Verify many signatures.</summary>
    /// <remarks>
    /// Each item is the body of POST .../verify and is answered in order with valid true or false,
    /// or, for input that is not a signature, its error alone. At most Batch:MaxItems (default
    /// 1000) items. Public: no API key needed.
    /// </remarks>
    /// <param name="email">The identity whose signatures they claim to be.</param>
    /// <param name="request">The items.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">One answer per item, in order.</response>
    /// <response code="400">No items array, no items, or more than the server takes.</response>
    /// <response code="404">No such identity.</response>
    /// <response code="413">Body too large.</response>
    [HttpPost("verify/batch", Name = "VerifyBatch")]
    [PublicOperation("Anyone may check an identity's signatures, one or many.")]
    [Consumes("application/json")]
    [EnableRateLimiting(RateLimitPolicies.Public)]
    [ProducesResponseType<VerifyBatchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    public async Task<ActionResult<VerifyBatchResponse>> VerifyBatch(string email, VerifyBatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var items = request.Items?.Select(i => new Verify(email, i?.Signature, i?.Payload, i?.PayloadBase64, i?.DigestBase64, i?.Algorithm)).ToList();
        var outcomes = await sender.Send(new VerifyBatch(email, items), cancellationToken);
        return new VerifyBatchResponse(Answer(outcomes, r => new VerifyBatchItem(r.Valid, r.KeyVersion, null), e => new VerifyBatchItem(null, null, e)));
    }

    private static EncryptBatchItem ToItem(CiphertextResponse c) => new(c.Ciphertext, c.Format, c.KeyVersion, null);

    private static DecryptBatchItem ToItem(DecryptResponse d) => new(d.Plaintext, d.PlaintextBase64, d.KeyVersion, null);

    private static SignBatchItem ToItem(SignatureResponse s) => new(s.Signature, s.Format, s.Algorithm, s.KeyVersion, null);

    private static List<TItem> Answer<TResult, TItem>(IReadOnlyList<BatchOutcome<TResult>> outcomes, Func<TResult, TItem> answered, Func<BatchItemError, TItem> refused)
        where TResult : class =>
        outcomes.Select(o => o.Result is { } result ? answered(result) : refused(BatchItemErrors.Of(o.Refusal!))).ToList();
}
