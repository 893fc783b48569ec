using CryptoSecure.Api.Limits;
using CryptoSecure.Api.Contracts;
using CryptoSecure.Api.OpenApi;
using CryptoSecure.Api.RateLimiting;
using CryptoSecure.Api.Security;
using CryptoSecure.Application.Encryption.Commands.Decrypt;
using CryptoSecure.Application.Encryption.Commands.Encrypt;
using CryptoSecure.Application.Encryption.Commands.GenerateDataKey;
using CryptoSecure.Application.Encryption.Commands.Rewrap;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CryptoSecure.Api.Controllers;

/// <summary>Encrypt to an identity, decrypt and rewrap its ciphertexts.</summary>
[ApiController]
[Route("api/v1/users/{email}")]
[Produces("application/json")]
[Tags(ApiTags.Encryption)]
public sealed class EncryptionController(ISender sender) : ControllerBase
{
    /// <summary>Encrypt data to an identity.</summary>
    /// <remarks>
    /// Uses the identity's latest key version. Format "jwe" (default): JWE compact serialization,
    /// RSA-OAEP-256 + A256GCM, any size up to the server's limit, decryptable by any JOSE library
    /// with the exported key. Format "rsa-oaep": raw RSA-OAEP-SHA256, base64, at most k − 66 bytes.
    /// Public: no API key needed.
    /// </remarks>
    /// <param name="email">The recipient.</param>
    /// <param name="request">Exactly one of plaintext and plaintextBase64, and optionally the format.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The ciphertext.</response>
    /// <response code="400">Invalid input, or too large for rsa-oaep (the limit is in the message).</response>
    /// <response code="404">No such identity.</response>
    /// <response code="413">Body too large.</response>
    [HttpPost("encrypt", Name = "Encrypt")]
    [PublicOperation("Anyone may encrypt to an identity: only its owner can decrypt.")]
    [Consumes("application/json")]
    [EnableRateLimiting(RateLimitPolicies.Public)]
    [ProducesResponseType<CiphertextResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    public async Task<ActionResult<CiphertextResponse>> Encrypt(string email, EncryptRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var encrypted = await sender.Send(new Encrypt(email, request.Plaintext, request.PlaintextBase64, request.Format), cancellationToken);
        return encrypted.ToResponse();
    }

    /// <summary>Generate a data key for envelope encryption.</summary>
    /// <remarks>
    /// Fresh random key bytes (16, 24 or 32; default 32) and the same bytes as a JWE to the
    /// identity's latest key version. Encrypt large data yourself with the key, store the JWE beside
    /// it, and have the owner decrypt the JWE to get the key back. Set includePlaintext to false for
    /// a key only the owner can ever read. Public: no API key needed.
    /// </remarks>
    /// <param name="email">The identity the key is wrapped to.</param>
    /// <param name="request">Key length and whether to return the key itself.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The data key.</response>
    /// <response code="400">Invalid input (bytes not 16, 24 or 32).</response>
    /// <response code="404">No such identity.</response>
    [HttpPost("datakey", Name = "GenerateDataKey")]
    [PublicOperation("A data key wrapped to an identity is like a ciphertext made for it: only its owner can open it.")]
    [Consumes("application/json")]
    [EnableRateLimiting(RateLimitPolicies.Public)]
    [ProducesResponseType<DataKeyResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<DataKeyResponse>> GenerateDataKey(string email, DataKeyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await sender.Send(new GenerateDataKey(email, request.Bytes, request.IncludePlaintext), cancellationToken)).ToResponse();
    }

    /// <summary>Decrypt a ciphertext.</summary>
    /// <remarks>
    /// The format is detected (JWE, or base64 of raw RSA-OAEP). Every failure, whatever its cause,
    /// gets the same 400 body. Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity the ciphertext was made for.</param>
    /// <param name="request">The ciphertext.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The plaintext (text when it is UTF-8, and always base64).</response>
    /// <response code="400">The ciphertext could not be decrypted, or the request is invalid.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's.</response>
    /// <response code="404">No such identity.</response>
    [HttpPost("decrypt", Name = "Decrypt")]
    [PrivateKeyWork]
    [Consumes("application/json")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<DecryptResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<DecryptResponse>> Decrypt(string email, CiphertextRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await sender.Send(new Decrypt(email, request.Ciphertext ?? string.Empty), cancellationToken)).ToResponse();
    }

    /// <summary>Rewrap a ciphertext under the latest key version.</summary>
    /// <remarks>
    /// Decrypts and re-encrypts inside the service, in the same format, so the plaintext never
    /// leaves it. Use after a rotation, before raising the minimum decryption version. Owner or admin only.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="request">The ciphertext.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The new ciphertext.</response>
    /// <response code="400">The ciphertext could not be decrypted, or the request is invalid.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's.</response>
    /// <response code="404">No such identity.</response>
    [HttpPost("rewrap", Name = "Rewrap")]
    [PrivateKeyWork]
    [Consumes("application/json")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<CiphertextResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<CiphertextResponse>> Rewrap(string email, CiphertextRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await sender.Send(new Rewrap(email, request.Ciphertext ?? string.Empty), cancellationToken)).ToResponse();
    }
}
