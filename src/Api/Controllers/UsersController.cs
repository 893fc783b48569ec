using CryptoSecure.Api.Contracts;
using CryptoSecure.Api.Hosting;
using CryptoSecure.Api.OpenApi;
using CryptoSecure.Api.RateLimiting;
using CryptoSecure.Api.Security;
using CryptoSecure.Application.Audit.Queries.GetAuditTrail;
using CryptoSecure.Application.Identities.Commands.CompleteRecovery;
using CryptoSecure.Application.Identities.Commands.DeleteIdentity;
using CryptoSecure.Application.Identities.Commands.RegisterIdentity;
using CryptoSecure.Application.Identities.Commands.ReplaceApiKey;
using CryptoSecure.Application.Identities.Commands.RequestRecovery;
using CryptoSecure.Application.Identities.Commands.RestoreIdentity;
using CryptoSecure.Application.Identities.Commands.ResendVerification;
using CryptoSecure.Application.Identities.Commands.VerifyEmail;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.Controllers;

/// <summary>Identities: register, delete, restore, audit trail.</summary>
[ApiController]
[Route("api/v1/users")]
[Produces("application/json")]
[Tags(ApiTags.Identities)]
public sealed class UsersController(ISender sender, IOptions<ApiOptions> api) : ControllerBase
{
    /// <summary>Register an email address.</summary>
    /// <remarks>
    /// Generates the identity's first RSA key pair (sealed under the master key at rest) and an API
    /// key. The API key is returned only in this answer; the service keeps only its SHA-256 hash.
    /// With <c>Registration:EmailVerification=Required</c> (the default) the registration is pending:
    /// a one-time code is mailed to the address, and until it is entered
    /// (<c>POST /api/v1/users/{email}/email-verification</c>, with this API key) the identity is
    /// invisible to everyone but its owner and cannot sign; it is destroyed at
    /// <c>verificationExpiresAt</c> if it was not verified. Several pending registrations of one
    /// address may exist: the first to verify wins and the others are destroyed. With
    /// verification <c>Off</c> the identity is usable at once (<c>emailVerified</c> false).
    /// </remarks>
    /// <param name="request">The address, and optionally the key size and whether the private key may be exported.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="201">Registered; the API key is in the body.</response>
    /// <response code="400">Invalid email address or key size.</response>
    /// <response code="409">The address is already registered (and verified, or usable).</response>
    /// <response code="429">The address was mailed as many codes as it may get in an hour (Registration:MailsPerAddressPerHour); see Retry-After.</response>
    [HttpPost(Name = "RegisterUser")]
    [Consumes("application/json")]
    [EnableRateLimiting(RateLimitPolicies.KeyGeneration)]
    [ProducesResponseType<RegisteredUserResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<ActionResult<RegisteredUserResponse>> Register(RegisterUserRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var registered = await sender.Send(new RegisterIdentity(request.Email ?? string.Empty, request.KeySize, request.Exportable), cancellationToken);
        // Location is relative (or under Api:PublicBaseUrl): never built from the request's Host header.
        var location = api.Value.Link(Url.RouteUrl("GetPublicKeys", new { email = registered.Email })!);
        return Created(location, registered.ToResponse());
    }

    /// <summary>Delete an identity: disable it now, destroy its keys after the waiting period.</summary>
    /// <remarks>
    /// With <c>Keys:DeletionWaitingDays</c> above 0 (default 7) the identity is disabled at once and
    /// the answer is 202 with <c>deletesAt</c>: until then its owner can read its state
    /// (<c>GET .../keys</c>) and audit trail and restore it (<c>POST .../restore</c>); every other
    /// operation answers its owner 409 (<c>pending-deletion</c>), and everyone else 404, as for an
    /// unknown address. The address cannot be registered again meanwhile. Deleting it again
    /// changes nothing and answers the same <c>deletesAt</c>. When the time comes the service
    /// destroys every sealed private key (crypto-shredding): ciphertexts made for this identity can
    /// never be decrypted again, and the address may be registered anew, with new keys.
    /// With <c>Keys:DeletionWaitingDays</c> = 0, or <c>?purge=true</c> from an admin (an erasure
    /// request; refused to the owner), the keys are destroyed at once: 204. The audit trail of the
    /// deleted registration is kept. Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="purge">Destroy at once, without the waiting period; admins only.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="202">Disabled; destroyed at <c>deletesAt</c> unless restored.</response>
    /// <response code="204">Destroyed.</response>
    /// <response code="400">Invalid email address.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's, or an owner asked to purge.</response>
    /// <response code="404">No such identity.</response>
    /// <response code="409">Concurrent changes kept winning; try again.</response>
    [HttpDelete("{email}", Name = "DeleteUser")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<DeletionScheduledResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Delete(string email, [FromQuery] bool? purge, CancellationToken cancellationToken)
    {
        var outcome = await sender.Send(new DeleteIdentity(email, purge ?? false), cancellationToken);
        return outcome.DeletesAt is { } deletesAt
            ? Accepted(new DeletionScheduledResponse(outcome.Email, deletesAt))
            : NoContent();
    }

    /// <summary>Cancel a pending deletion.</summary>
    /// <remarks>
    /// The identity, its keys and its API key work again as before the deletion. An identity with
    /// no deletion pending is answered unchanged. Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">Restored; the key ring.</response>
    /// <response code="400">Invalid email address.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's.</response>
    /// <response code="404">No such identity (never registered, or already shredded).</response>
    /// <response code="409">Concurrent changes kept winning; try again.</response>
    [HttpPost("{email}/restore", Name = "RestoreUser")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<KeyRingResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<KeyRingResponse>> Restore(string email, CancellationToken cancellationToken) =>
        (await sender.Send(new RestoreIdentity(email), cancellationToken)).ToResponse();

    /// <summary>Read an identity's audit trail.</summary>
    /// <remarks>
    /// Every registration, encryption, decryption, export, rotation, configuration change, rewrap,
    /// deletion and refused access, newest first, with time, key version, outcome, client address
    /// and request id; never data or keys. Refusals of other callers are counted: one event (with
    /// <c>count</c> and <c>lastOccurredAt</c>) per action, caller kind, client address and UTC
    /// minute; every other event stands alone. <c>kind</c> reads one part of the trail:
    /// <c>owner</c> (what the owner or an admin did, and the registration), <c>public</c>
    /// (encryptions by anyone else) or <c>denied</c> (refusals); without it, all of them. Paged:
    /// pass <c>nextCursor</c> as <c>cursor</c> with the same <c>kind</c>. Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="cursor">The previous page's <c>nextCursor</c>; omit for the newest events.</param>
    /// <param name="limit">Events per page, 1..200 (default 50).</param>
    /// <param name="kind">"owner", "public" or "denied"; omit for every kind.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">A page of events.</response>
    /// <response code="400">Invalid cursor (not one this service issued for this identity and kind), limit or kind.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's.</response>
    /// <response code="404">No such identity.</response>
    [HttpGet("{email}/audit", Name = "GetAuditTrail")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<AuditTrailResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<AuditTrailResponse>> GetAuditTrail(
        string email, [FromQuery] string? cursor, [FromQuery] int? limit, [FromQuery] string? kind, CancellationToken cancellationToken)
    {
        var page = await sender.Send(new GetAuditTrail(email, cursor, limit ?? Application.Audit.Queries.GetAuditTrail.GetAuditTrail.DefaultLimit, kind), cancellationToken);
        return page.ToResponse();
    }

    /// <summary>Verify the address with the mailed code.</summary>
    /// <remarks>
    /// Enter the code mailed to the address (the <c>Code:</c> line of the mail) with the
    /// registration's API key: both the key and the mailbox are needed. The identity becomes
    /// visible, and every other pending registration of the address is destroyed with its keys.
    /// A wrong code is a 400; after 5 wrong codes, or once it expired, the code is dead: ask for a
    /// new one (<c>.../email-verification/resend</c>). Owner only (not an admin).
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="request">The code.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">Verified.</response>
    /// <response code="400">Wrong, expired or used-up code, or invalid input.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's, or an admin key.</response>
    /// <response code="404">No such identity (or another registration of the address was verified first, or this one expired).</response>
    /// <response code="409">The address is already verified.</response>
    [HttpPost("{email}/email-verification", Name = "VerifyEmail")]
    [Consumes("application/json")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<EmailVerificationResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<EmailVerificationResponse>> VerifyEmail(string email, EmailVerificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await sender.Send(new VerifyEmail(email, request.Code ?? string.Empty), cancellationToken)).ToResponse();
    }

    /// <summary>Mail a new verification code.</summary>
    /// <remarks>
    /// The previous code stops working. Counts against the address's mails per hour
    /// (<c>Registration:MailsPerAddressPerHour</c>, whatever <c>RateLimiting:Enabled</c> says).
    /// Owner only (not an admin).
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">A new code is on its way.</response>
    /// <response code="400">Invalid email address.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's, or an admin key.</response>
    /// <response code="404">No such identity.</response>
    /// <response code="409">The address is already verified.</response>
    /// <response code="429">The address had its mails this hour; see Retry-After.</response>
    [HttpPost("{email}/email-verification/resend", Name = "ResendEmailVerification")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<VerificationPendingResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<ActionResult<VerificationPendingResponse>> ResendEmailVerification(string email, CancellationToken cancellationToken) =>
        (await sender.Send(new ResendVerification(email), cancellationToken)).ToResponse();

    /// <summary>Replace the API key.</summary>
    /// <remarks>
    /// Issues a new API key, shown only in this answer; the old one stops working at once (on every
    /// node within Cache:CoherenceSeconds). Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The new API key.</response>
    /// <response code="400">Invalid email address.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's.</response>
    /// <response code="404">No such identity.</response>
    [HttpPost("{email}/api-key/rotate", Name = "RotateApiKey")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<ApiKeyResponse>> RotateApiKey(string email, CancellationToken cancellationToken) =>
        (await sender.Send(new ReplaceApiKey(email), cancellationToken)).ToResponse();

    /// <summary>Ask for a recovery code (lost API key).</summary>
    /// <remarks>
    /// If the address belongs to a verified identity, a recovery code is mailed to it (within the
    /// address's mails per hour). The answer is 202 whatever the address: the work happens off the
    /// request path, so neither the answer nor its timing says whether the address is registered.
    /// Whoever controls the mailbox controls the identity (see SECURITY.md).
    /// </remarks>
    /// <param name="email">The address.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="202">Accepted; a code is mailed if the address is a verified identity's.</response>
    /// <response code="400">Invalid email address.</response>
    /// <response code="429">Rate limited; see Retry-After.</response>
    [HttpPost("{email}/recovery", Name = "RequestRecovery")]
    [PublicOperation("A lost API key can only be recovered without one; the answer reveals nothing.")]
    [EnableRateLimiting(RateLimitPolicies.KeyGeneration)]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> RequestRecovery(string email, CancellationToken cancellationToken)
    {
        await sender.Send(new RequestRecovery(email), cancellationToken);
        return Accepted();
    }

    /// <summary>Complete a recovery with the mailed code.</summary>
    /// <remarks>
    /// Replaces the API key of the verified identity with a new one, shown only in this answer; the
    /// old key stops working. A wrong, expired or used-up code (5 wrong codes end it), or an address
    /// without a recovery under way, is the same 400.
    /// </remarks>
    /// <param name="email">The address.</param>
    /// <param name="request">The recovery code.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The new API key.</response>
    /// <response code="400">Wrong or expired code, or invalid input.</response>
    /// <response code="429">Rate limited; see Retry-After.</response>
    [HttpPost("{email}/recovery/complete", Name = "CompleteRecovery")]
    [Consumes("application/json")]
    [PublicOperation("A lost API key can only be recovered without one; the mailed code is the credential.")]
    [EnableRateLimiting(RateLimitPolicies.KeyGeneration)]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<ActionResult<ApiKeyResponse>> CompleteRecovery(string email, RecoveryCompleteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await sender.Send(new CompleteRecovery(email, request.Code ?? string.Empty), cancellationToken)).ToResponse();
    }
}
