using CryptoSecure.Api.Contracts;
using CryptoSecure.Api.OpenApi;
using CryptoSecure.Api.Security;
using CryptoSecure.Infrastructure.MasterKeys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CryptoSecure.Api.Controllers;

/// <summary>Operating the service: master key rotation status, backups. Admin keys only.</summary>
[ApiController]
[Route("api/v1/admin")]
[Produces("application/json")]
[Tags(ApiTags.Admin)]
[Authorize(Policy = Policies.AdminOnly)]
public sealed class AdminController : ControllerBase
{
    /// <summary>Read where a master key rotation stands.</summary>
    /// <remarks>
    /// The current master key's id and how many sealed private keys each master key id holds. With
    /// Security:PreviousMasterKeys (or PreviousMasterKeyFiles) set, a background re-sealer moves every
    /// key to the current master key; when "complete" is true the previous keys can be removed from
    /// the configuration. Admin key only.
    /// </remarks>
    /// <param name="status">Reads the store.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The rotation's state.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">Not an admin key.</response>
    [HttpGet("master-key", Name = "GetMasterKeyStatus")]
    [ProducesResponseType<MasterKeyStatusResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<ActionResult<MasterKeyStatusResponse>> GetMasterKeyStatus([FromServices] MasterKeyStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var state = await status.ReadAsync(cancellationToken);
        return new MasterKeyStatusResponse(state.CurrentKeyId, state.RecordsByKeyId, state.Complete);
    }
}
