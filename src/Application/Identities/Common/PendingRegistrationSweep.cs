using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Identities.Common;

/// <summary>
/// Destroys pending registrations whose <c>Registration:VerificationHours</c> ran out, every
/// <c>Registration:SweepMinutes</c>, as DELETE does (keys shredded, audit event kept). Until the sweep
/// comes, an expired registration is already treated as gone (<see cref="IdentityLookup"/>).
/// Several nodes may sweep at once: a registration another node removed first is skipped.
/// </summary>
public sealed partial class PendingRegistrationSweep(
    IRegistrationStore registrations, IKeyStore store, TimeProvider clock, IOptions<RegistrationOptions> options, ILogger<PendingRegistrationSweep> logger) : BackgroundService
{
    private const int BatchSize = 100;

    /// <summary>One sweep; returns how many registrations it destroyed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var destroyed = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var expired = await registrations.FindExpiredPendingAsync(now, BatchSize, cancellationToken).ConfigureAwait(false);
            foreach (var id in expired)
            {
                var discarded = new AuditEvent(id, now, AuditAction.RegistrationDiscarded, AuditOutcome.Success, AuditActor.Anonymous, null, null, null);
                if (await store.DeleteAsync(id, discarded, cancellationToken).ConfigureAwait(false))
                {
                    destroyed++;
                }
            }

            if (expired.Count < BatchSize)
            {
                return destroyed;
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.SweepMinutes), clock);
        try
        {
            // The first sweep one period after start: the store is migrated and ready by then.
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    if (await SweepOnceAsync(stoppingToken).ConfigureAwait(false) is > 0 and var count)
                    {
                        LogSwept(logger, count);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next sweep tries again; expired registrations are invisible meanwhile.
                    LogSweepFailed(logger, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Destroyed {Count} unverified registrations past their verification time")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "The sweep of unverified registrations failed ({Error}); the next one tries again")]
    private static partial void LogSweepFailed(ILogger logger, string error);
}
