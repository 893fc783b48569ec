namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>
/// The store's log of which identities changed, in commit order: every create, save and delete
/// adds one entry in its own transaction, numbered 1, 2, … without gaps (an aborted change takes
/// its number with it). Nodes that cache identities read it after their cursor to learn what
/// changed elsewhere: one query per node per interval, however many identities the store holds.
/// </summary>
public interface IIdentityChangeFeed
{
    /// <summary>The number of the newest entry (0 when there is none): where a node that starts with an empty cache begins.</summary>
    Task<long> LatestAsync(CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> entries after <paramref name="cursor"/>, oldest first.</summary>
    Task<IdentityChangeBatch> ReadAfterAsync(long cursor, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the entries recorded before <paramref name="before"/>, always keeping the newest one
    /// so the next number stays known to readers; returns how many went.
    /// </summary>
    Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>What a read of the change feed found.</summary>
/// <param name="IdentityIds">The identities changed after the cursor, in order (one may appear more than once).</param>
/// <param name="Cursor">The number of the last entry read: the next read's cursor.</param>
/// <param name="Missed">
/// Entries after the old cursor were pruned before this node read them: it cannot know what they
/// changed, so everything it caches must go.
/// </param>
public sealed record IdentityChangeBatch(IReadOnlyList<Guid> IdentityIds, long Cursor, bool Missed);
