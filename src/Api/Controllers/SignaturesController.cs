using CryptoSecure.Api.Limits;
using CryptoSecure.Api.Contracts;
using CryptoSecure.Api.OpenApi;
using CryptoSecure.Api.RateLimiting;
using CryptoSecure.Api.Security;
using CryptoSecure.Application.Signatures.Commands.Sign;
using CryptoSecure.Application.Signatures.Commands.Verify;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CryptoSecure.Api.Controllers;

/// <summary>Sign with an identity's signing key and verify its signatures.</summary>
[ApiController]
[Route("api/v1/users/{email}")]
[Produces("application/json")]
[Tags(ApiTags.Signatures)]
public sealed class SignaturesController(ISender sender) : ControllerBase
{
    /// <summary>Sign a payload or its digest.</summary>
    /// <remarks>
    /// Uses the signing key of the identity's latest key version (never the encryption key).
    /// Format "jws" (default): JWS compact serialization (RFC 7515) with "alg" and "kid" protected
    /// and the payload attached, checkable by any JOSE library with the JWK Set. Format "raw":
    /// standard base64 of the bare signature over the payload's SHA-256, checkable with
    /// <c>openssl dgst</c>/<c>pkeyutl</c> or Python's cryptography; with digestBase64 the client
    /// hashes and only the 32-byte digest is sent. Algorithm PS256 (default; salt 32) or RS256.
    /// Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="request">Exactly one of payload, payloadBase64 and digestBase64; optionally format and algorithm.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The signature.</response>
    /// <response code="400">Invalid input: not exactly one payload field, a digest that is not 32 bytes or with "jws", an unknown format or algorithm.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's.</response>
    /// <response code="404">No such identity.</response>
    /// <response code="413">Body too large.</response>
    [HttpPost("sign", Name = "Sign")]
    [PrivateKeyWork]
    [Consumes("application/json")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<SignatureResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    public async Task<ActionResult<SignatureResponse>> Sign(string email, SignRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var signed = await sender.Send(new Sign(email, request.Payload, request.PayloadBase64, request.DigestBase64, request.Format, request.Algorithm), cancellationToken);
        return signed.ToResponse();
    }

    /// <summary>Verify a signature.</summary>
    /// <remarks>
    /// A JWS alone (its "kid" names the key), or a raw signature with the payload, payloadBase64 or
    /// digestBase64 it covers and optionally its algorithm (PS256 default), checked against every
    /// key version's signing key, latest first. Signatures of versions below the minimum decryption
    /// version still verify. A signature that does not verify (tampered, another identity's key,
    /// an unknown kid) is 200 with valid: false; only input that is not a signature is a 400.
    /// Public: no API key needed.
    /// </remarks>
    /// <param name="email">The identity whose signature it claims to be.</param>
    /// <param name="request">The signature, and for a raw one what it covers.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">Whether it verifies, and with which key version.</response>
    /// <response code="400">Malformed signature or input (the problem names the rule broken).</response>
    /// <response code="404">No such identity.</response>
    /// <response code="413">Body too large.</response>
    [HttpPost("verify", Name = "Verify")]
    [PublicOperation("Anyone may check a signature against an identity's public signing keys.")]
    [Consumes("application/json")]
    [EnableRateLimiting(RateLimitPolicies.Public)]
    [ProducesResponseType<VerificationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    public async Task<ActionResult<VerificationResponse>> Verify(string email, VerifyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var verified = await sender.Send(new Verify(email, request.Signature, request.Payload, request.PayloadBase64, request.DigestBase64, request.Algorithm), cancellationToken);
        return verified.ToResponse();
    }
}
