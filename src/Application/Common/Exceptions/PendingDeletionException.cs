using System.Globalization;

namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// The identity is disabled because its deletion is scheduled (409 <c>pending-deletion</c>). Told
/// only to its owner or an admin; everyone else gets <see cref="IdentityNotFoundException"/>.
/// </summary>
/// <param name="deletesAt">When it is shredded.</param>
public sealed class PendingDeletionException(DateTimeOffset deletesAt) : ClientFacingException(
    ProblemKind.PendingDeletion,
    string.Create(CultureInfo.InvariantCulture, $"This identity is scheduled for deletion at {deletesAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} and is disabled until then; restore it (POST .../restore) to use it again."))
{
    /// <summary>When the identity is shredded.</summary>
    public DateTimeOffset DeletesAt { get; } = deletesAt;
}
