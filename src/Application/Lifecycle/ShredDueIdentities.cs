using CryptoSecure.Application.Common.Ports;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Application.Lifecycle;

/// <summary>
/// Crypto-shreds the identities whose waiting period has passed, through the store's delete (every
/// sealed key destroyed, the deletion audited as done by the service). Each identity is re-read
/// and deleted only if it is still due and unchanged since that read, so a restore committed by any
/// node a moment earlier always wins. Run by one node at a time (the lifecycle worker's lease);
/// safe if two ever overlap: the second finds the identity gone.
/// </summary>
public sealed partial class ShredDueIdentities(IKeyStore store, IDueWork dueWork, TimeProvider clock, ILogger<ShredDueIdentities> logger)
{
    /// <summary>Identities read per query.</summary>
    public const int BatchSize = 100;

    /// <summary>Shreds every identity due now; returns how many were shredded.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var shredded = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var due = await dueWork.FindDueDeletionsAsync(now, BatchSize, cancellationToken).ConfigureAwait(false);
            var thisBatch = 0;
            foreach (var email in due)
            {
                var identity = await store.FindAsync(email, cancellationToken).ConfigureAwait(false);
                if (identity is null || !identity.IsDeletionDue(now))
                {
                    continue;
                }

                var deleted = ServiceAudit.Event(identity.Id, now, Domain.Audit.AuditAction.Deleted, identity.Keys.Latest.Version);
                if (await store.DeleteIfUnchangedAsync(identity.Id, identity.Revision, deleted, cancellationToken).ConfigureAwait(false))
                {
                    thisBatch++;
                    LogShredded(logger, identity.Id, identity.DeletesAt!.Value);
                }
            }

            shredded += thisBatch;

            // A full batch may have more behind it; a batch where nothing could be done (every one
            // changed meanwhile) is left to the next check rather than read again at once.
            if (due.Count < BatchSize || thisBatch == 0)
            {
                return shredded;
            }
        }
    }

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Identity {IdentityId} crypto-shredded: its deletion was due at {DeletesAt:O}")]
    private static partial void LogShredded(ILogger logger, Guid identityId, DateTimeOffset deletesAt);
}
