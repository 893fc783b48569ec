namespace CryptoSecure.Domain.Identities;

/// <summary>A change was asked of an identity whose deletion is scheduled: it is disabled until restored.</summary>
/// <param name="deletesAt">When it is shredded.</param>
public sealed class IdentityPendingDeletionException(DateTimeOffset deletesAt)
    : DomainRuleException("This identity is scheduled for deletion; restore it first.")
{
    /// <summary>When the identity is shredded.</summary>
    public DateTimeOffset DeletesAt { get; } = deletesAt;
}
