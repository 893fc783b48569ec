using CryptoSecure.Api.Limits;
using CryptoSecure.Api.Contracts;
using CryptoSecure.Api.Errors;
using CryptoSecure.Api.OpenApi;
using CryptoSecure.Api.RateLimiting;
using CryptoSecure.Api.Security;
using CryptoSecure.Application.Encryption.Commands.Decrypt;
using CryptoSecure.Application.Encryption.Commands.Encrypt;
using CryptoSecure.Application.Encryption.Common;
using CryptoSecure.Application.Identities.Commands.RegisterIdentity;
using CryptoSecure.Application.Keys.Queries.ExportPrivateKey;
using CryptoSecure.Application.Keys.Queries.GetPublicKeys;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CryptoSecure.Api.Controllers;

/// <summary>
/// The Flask prototype's four routes, kept byte-compatible for old clients: same paths, same JSON
/// shapes (snake_case, hex ciphertexts), errors as <c>{"error": "..."}</c>. Unlike the prototype,
/// private keys go only to their owner, and decryption needs the owner's API key.
/// </summary>
[ApiController]
[PrototypeRoute]
[Produces("application/json")]
[Tags(ApiTags.Prototype)]
public sealed class PrototypeController(ISender sender, IAuthorizationService authorization) : ControllerBase
{
    /// <summary>Register an email address (prototype).</summary>
    /// <remarks>
    /// Kept for compatibility; new clients use POST /api/v1/users. Returns the public key, the API
    /// key and, when the identity is exportable (the server default <c>Keys:ExportableByDefault</c>),
    /// the private key.
    /// </remarks>
    /// <param name="request">The address, as <c>{"Email": "..."}</c>.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="201">Registered.</response>
    /// <response code="400">Invalid email address.</response>
    /// <response code="409">Already registered.</response>
    [HttpPost("/takeuser", Name = "PrototypeTakeUser")]
    [Consumes("application/json")]
    [EnableRateLimiting(RateLimitPolicies.KeyGeneration)]
    [ProducesResponseType<TakeUserResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<PrototypeError>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<PrototypeError>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<TakeUserResponse>> TakeUser(TakeUserRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var registered = await sender.Send(new RegisterIdentity(request.Email ?? string.Empty, IncludePrivateKey: true), cancellationToken);
        return StatusCode(StatusCodes.Status201Created, new TakeUserResponse(registered.Email, registered.PublicKeyPem, registered.PrivateKeyPem, registered.ApiKey));
    }

    /// <summary>Read keys (prototype).</summary>
    /// <remarks>
    /// Kept for compatibility; new clients use GET /api/v1/users/{email}/keys. The public key of the
    /// latest version; the private key too, but only with the owner's (or an admin) API key and
    /// only when the identity is exportable.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The keys.</response>
    /// <response code="400">Invalid email address.</response>
    /// <response code="404">No such identity.</response>
    [HttpGet("/get_keys/{email}", Name = "PrototypeGetKeys")]
    [PublicOperation("The public key is public; the private key is added only for the owner or an admin, and ExportPrivateKey checks again.")]
    [EnableRateLimiting(RateLimitPolicies.Public)]
    [ProducesResponseType<GetKeysResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<PrototypeError>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<PrototypeError>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<GetKeysResponse>> GetKeys(string email, CancellationToken cancellationToken)
    {
        var ring = await sender.Send(new GetPublicKeys(email), cancellationToken);
        var latest = ring.Keys[^1];
        string? privateKey = null;
        if (ring.Exportable && (await authorization.AuthorizeAsync(User, email, Policies.OwnerOrAdmin)).Succeeded)
        {
            // The version just read, so a concurrent rotation cannot pair keys of two versions.
            privateKey = (await sender.Send(new ExportPrivateKey(email, latest.Version), cancellationToken)).PrivateKeyPem;
        }

        return new GetKeysResponse(ring.Email, latest.PublicKeyPem, privateKey);
    }

    /// <summary>Encrypt (prototype).</summary>
    /// <remarks>
    /// Kept for compatibility; new clients use POST /api/v1/users/{email}/encrypt. Raw RSA-OAEP
    /// (SHA-256, MGF1-SHA-256, no label) of the UTF-8 plaintext, as lowercase hex: decryptable with
    /// Python's cryptography and the exported PEM, as the prototype's was.
    /// </remarks>
    /// <param name="email">The recipient.</param>
    /// <param name="request">The plaintext.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The ciphertext, hex.</response>
    /// <response code="400">Missing plaintext or too long for RSA-OAEP with this key.</response>
    /// <response code="404">No such identity.</response>
    [HttpPost("/encrypt/{email}", Name = "PrototypeEncrypt")]
    [PublicOperation("Anyone may encrypt to an identity: only its owner can decrypt.")]
    [Consumes("application/json")]
    [EnableRateLimiting(RateLimitPolicies.Public)]
    [ProducesResponseType<CiphertextMessage>(StatusCodes.Status200OK)]
    [ProducesResponseType<PrototypeError>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<PrototypeError>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<CiphertextMessage>> Encrypt(string email, PlaintextMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var encrypted = await sender.Send(new Encrypt(email, request.Plaintext, Format: CiphertextFormats.RsaOaep), cancellationToken);
        return new CiphertextMessage(PrototypeCiphertext.ToHex(encrypted.Ciphertext));
    }

    /// <summary>Decrypt (prototype).</summary>
    /// <remarks>
    /// Kept for compatibility; new clients use POST /api/v1/users/{email}/decrypt. Takes the hex
    /// ciphertext of /encrypt/{email}; needs the owner's (or an admin) API key.
    /// </remarks>
    /// <param name="email">The identity.</param>
    /// <param name="request">The ciphertext, hex.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The plaintext.</response>
    /// <response code="400">Decryption failed (one answer for every cause), or the plaintext is not text.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">The API key is not this identity's.</response>
    /// <response code="404">No such identity.</response>
    [HttpPost("/decrypt/{email}", Name = "PrototypeDecrypt")]
    [PrivateKeyWork]
    [Consumes("application/json")]
    [Authorize(Policy = Policies.OwnerOrAdmin)]
    [EnableRateLimiting(RateLimitPolicies.Owner)]
    [ProducesResponseType<PlaintextMessage>(StatusCodes.Status200OK)]
    [ProducesResponseType<PrototypeError>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<PrototypeError>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<PrototypeError>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<PrototypeError>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<PlaintextMessage>> Decrypt(string email, CiphertextMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decrypted = await sender.Send(new Decrypt(email, PrototypeCiphertext.FromHex(request.Ciphertext)), cancellationToken);
        var text = PlaintextInput.TryDecodeUtf8(decrypted.Plaintext);
        if (text is null)
        {
            return new ErrorAnswerResult(ProblemCatalogue.BadRequest.With("The plaintext is not UTF-8 text; decrypt it with POST /api/v1/users/{email}/decrypt to get it as base64."));
        }

        return new PlaintextMessage(text);
    }
}
