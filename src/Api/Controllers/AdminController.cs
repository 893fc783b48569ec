using CryptoSecure.Api.Contracts;
using CryptoSecure.Api.OpenApi;
using CryptoSecure.Api.Security;
using CryptoSecure.Infrastructure.MasterKeys;
using CryptoSecure.Infrastructure.Persistence;
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

    /// <summary>Download a consistent snapshot of the store.</summary>
    /// <remarks>
    /// SQLite stores: an online snapshot (VACUUM INTO a private temporary file, streamed and then
    /// deleted) taken while requests go on. Private keys stay sealed under the master key(s) in it:
    /// keep the master key(s) to restore it, with `dotnet CryptoSecure.Api.dll restore SNAPSHOT --to PATH`.
    /// MongoDB stores answer 501: back them up with mongodump (docs/mongodb.md). Admin key only.
    /// </remarks>
    /// <param name="admin">The store.</param>
    /// <param name="time">Names the file.</param>
    /// <param name="cancellationToken">Aborts with the request.</param>
    /// <response code="200">The snapshot, a SQLite database file.</response>
    /// <response code="401">No or unknown API key.</response>
    /// <response code="403">Not an admin key.</response>
    /// <response code="501">The store is MongoDB: use mongodump.</response>
    /// <response code="503">The store is unavailable (or its disk is full); retry later.</response>
    [HttpGet("backup", Name = "GetBackup")]
    [Produces(SnapshotMediaType, "application/problem+json")]
    [ProducesResponseType<FileStreamResult>(StatusCodes.Status200OK, SnapshotMediaType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status501NotImplemented, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> GetBackup([FromServices] IKeyStoreAdmin admin, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(time);
        var snapshot = await admin.OpenSnapshotAsync(cancellationToken);
        var name = $"cryptosecure-{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}.db";
        return File(snapshot, SnapshotMediaType, name);
    }

    private const string SnapshotMediaType = "application/vnd.sqlite3";
}
