using CryptoSecure.Api.Contracts;
using CryptoSecure.Api.OpenApi;
using CryptoSecure.Api.RateLimiting;
using CryptoSecure.Api.Security;
using CryptoSecure.Application.Keys.Commands.ConfigureKeys;
using CryptoSecure.Application.Keys.Commands.RotateKey;
using CryptoSecure.Application.Keys.Queries.ExportPrivateKey;
using CryptoSecure.Application.Keys.Queries.GetJsonWebKeySet;
using CryptoSecure.Application.Keys.Queries.GetPublicKeys;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.Controllers;

/// <summary>An identity's key ring: public keys and JWK Set, private-key export, rotation, minimum decryption version.</summary>
[ApiController]
[Route("api/v1/users/{email}/keys")]
[Produces("application/json")]
[Tags(ApiTags.Keys)]
public sealed class KeysController(ISender sender, IOptions<JsonOptions> jsonOptions) : ControllerBase
{
    /// <summary>Read an identity's public keys.</summary>
    /// <remarks>Every key version, as SPKI PEM and as JWK. Public: no API key needed.</remarks>
    /// <param name="email">The identity.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The key ring.</response>
    /// <response code="400">Invalid email address.</response>
    /// <response code="404">No such identity.</response>
    [HttpGet(Name = "GetPublicKeys")]
    [PublicOperation("Public keys are public.")]
    [EnableRateLimiting(RateLimitPolicies.Public)]
    [ProducesResponseType<KeyRingResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<KeyRingResponse>> GetPublicKeys(string email, CancellationToken cancellationToken) =>
        (await sender.Send(new GetPublicKeys(email), cancellationToken)).ToResponse();

    /// <summary>Read an identity's JWK Set.</summary>
    /// <remarks>
    /// RFC 7517 JWK Set for JOSE libraries (a remote key set such as panva/jose's
    /// createRemoteJWKSet): the encryption keys ("use": "enc", "alg": "RSA-OAEP-256") of the
    /// versions still allowed to decrypt, and the signing keys ("use": "sig", "alg": "PS256"; they
    /// verify RS256 signatures too) of every version, each with its "kid". Served as
    /// application/json with Cache-Control: public, max-age=60 and a strong ETag; If-None-Match
    /// with the current ETag gets 304. Public: no API key needed.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The JWK Set.</response>
    /// <response code="304">Unchanged since the ETag given in If-None-Match.</response>
    /// <response code="400">Invalid email address.</response>
    /// <response code="404">No such identity.</response>
    [HttpGet("~/api/v1/users/{email}/jwks", Name = "GetJsonWebKeySet")]
    [PublicOperation("Public keys are public.")]
    [EnableRateLimiting(RateLimitPolicies.Public)]
    [ProducesResponseType<JsonWebKeySetResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> GetJsonWebKeySet(string email, CancellationToken cancellationToken)
    {
        var keySet = (await sender.Send(new GetJsonWebKeySet(email), cancellationToken)).ToResponse();
        return JsonWebKeySetAnswer.For(keySet, HttpContext, jsonOptions.Value.JsonSerializerOptions);
    }

    /// <summary>Export a private key.</summary>
    /// <remarks>
    /// One key version's private key as PKCS#8 PEM: its encryption key (use=enc, the default) or
    /// its signing key (use=sig). Only for identities registered exportable, and only for versions
    /// not below the minimum decryption version. Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="version">The key version; default the latest.</param>
    /// <param name="use">"enc" (default): the encryption key; "sig": the signing key.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The private key.</response>
    /// <response code="400">Invalid email address, version or use.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">Not this identity's key, the identity is not exportable, or the version is retired.</response>
    /// <response code="404">No such identity or version, or (use=sig) a version from before signatures existed that never signed.</response>
    [HttpGet("private", Name = "ExportPrivateKey")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<PrivateKeyResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<PrivateKeyResponse>> ExportPrivateKey(string email, [FromQuery] int? version, [FromQuery] string? use, CancellationToken cancellationToken) =>
        (await sender.Send(new ExportPrivateKey(email, version, use), cancellationToken)).ToResponse();

    /// <summary>Rotate: add a key version.</summary>
    /// <remarks>
    /// New encryptions use the new version; older versions keep decrypting until the minimum
    /// decryption version is raised past them. Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="request">Optional: the new version's key size.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The key ring after rotation.</response>
    /// <response code="400">Invalid key size.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's.</response>
    /// <response code="404">No such identity.</response>
    /// <response code="409">Concurrent changes kept winning; try again.</response>
    [HttpPost("rotate", Name = "RotateKey")]
    [Consumes("application/json")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.KeyGeneration)]
    [ProducesResponseType<KeyRingResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<KeyRingResponse>> Rotate(
        string email,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RotateKeyRequest? request,
        CancellationToken cancellationToken) =>
        (await sender.Send(new RotateKey(email, request?.KeySize), cancellationToken)).ToResponse();

    /// <summary>Set the minimum decryption version and the automatic rotation period.</summary>
    /// <remarks>
    /// <c>minDecryptionVersion</c>: versions below it stop decrypting (the uniform decryption error)
    /// and exporting. It may be raised and lowered again, never above the latest version.
    /// <c>autoRotatePeriodSeconds</c>: the service adds a key version (audited as a rotation by the
    /// service) whenever the latest one is this old, once per period; 0 turns it off; at least
    /// <c>Keys:AutoRotation:MinimumPeriodSeconds</c>. Either may be omitted to keep it; at least one
    /// is given. Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="request">The new minimum and/or period.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The key ring after the change.</response>
    /// <response code="400">Neither given; the minimum below 1 or above the latest version; the period below the server's minimum.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's.</response>
    /// <response code="404">No such identity.</response>
    /// <response code="409">The identity's deletion is pending, or concurrent changes kept winning.</response>
    [HttpPut("config", Name = "ConfigureKeys")]
    [Consumes("application/json")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<KeyRingResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<KeyRingResponse>> Configure(string email, KeyConfigRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await sender.Send(new ConfigureKeys(email, request.MinDecryptionVersion, request.AutoRotatePeriodSeconds), cancellationToken)).ToResponse();
    }
}
