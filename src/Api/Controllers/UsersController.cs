using CryptoSecure.Api.Contracts;
using CryptoSecure.Api.Hosting;
using CryptoSecure.Api.OpenApi;
using CryptoSecure.Api.RateLimiting;
using CryptoSecure.Api.Security;
using CryptoSecure.Application.Audit.Queries.GetAuditTrail;
using CryptoSecure.Application.Identities.Commands.DeleteIdentity;
using CryptoSecure.Application.Identities.Commands.RegisterIdentity;
using CryptoSecure.Application.Identities.Commands.RestoreIdentity;
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
    /// </remarks>
    /// <param name="request">The address, and optionally the key size and whether the private key may be exported.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="201">Registered; the API key is in the body.</response>
    /// <response code="400">Invalid email address or key size.</response>
    /// <response code="409">The address is already registered.</response>
    [HttpPost(Name = "RegisterUser")]
    [Consumes("application/json")]
    [EnableRateLimiting(RateLimitPolicies.KeyGeneration)]
    [ProducesResponseType<RegisteredUserResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
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
}
