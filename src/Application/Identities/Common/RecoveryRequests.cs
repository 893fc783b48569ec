using System.Threading.Channels;
using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Identities.Common;

/// <summary>A recovery asked for over the public route, with what its audit event records of the request.</summary>
public sealed record RecoveryRequest(EmailAddress Email, string? ClientAddress, string? RequestId);

/// <summary>
/// The queue between the public recovery route and <see cref="RecoveryWorker"/>. Bounded: when it
/// is full, new requests are dropped (the route still answers 202; the per-route rate limit and the
/// per-address mail limit bound what a flood could cost anyway).
/// </summary>
public sealed class RecoveryRequests
{
    private readonly Channel<RecoveryRequest> _channel = Channel.CreateBounded<RecoveryRequest>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Queues <paramref name="request"/> without waiting.</summary>
    public void Enqueue(RecoveryRequest request) => _channel.Writer.TryWrite(request);

    /// <summary>The requests, in order.</summary>
    public ChannelReader<RecoveryRequest> Reader => _channel.Reader;
}

/// <summary>
/// Handles queued recoveries: for a verified address (and only one), within the mail limit, the
/// identity waits for a new recovery code (<c>Registration:RecoveryCodeMinutes</c>) and the code is
/// mailed. Anything else is dropped without a trace outside the log's counts.
/// </summary>
public sealed partial class RecoveryWorker(
    RecoveryRequests queue, IServiceScopeFactory scopes, TimeProvider clock, IOptions<RegistrationOptions> options, ILogger<RecoveryWorker> logger) : BackgroundService
{
    /// <summary>Handles one request (the worker's loop, and tests).</summary>
    public async Task HandleAsync(RecoveryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IKeyStore>();
        var codes = scope.ServiceProvider.GetRequiredService<VerificationCodes>();
        var identity = await store.FindAsync(request.Email, cancellationToken).ConfigureAwait(false);
        // A disabled identity (its deletion pending) takes no new key: like every change but the
        // restore, which its owner asks an admin for when the key is lost too.
        if (identity is null || !identity.EmailVerified || identity.IsPendingDeletion)
        {
            return;
        }

        if (await codes.TryCountMailAsync(identity.Email, cancellationToken).ConfigureAwait(false) is not null)
        {
            LogMailLimit(logger);
            return;
        }

        var now = clock.GetUtcNow();
        var expiresAt = now + TimeSpan.FromMinutes(options.Value.RecoveryCodeMinutes);
        var (code, stored) = VerificationCodes.New(identity.Id, CodePurpose.Recovery, expiresAt);
        try
        {
            await store.ChangeAsync(
                identity,
                current => new IdentityChange(
                    current.AwaitCode(stored),
                    [new AuditEvent(current.Id, now, AuditAction.RecoveryCodeSent, AuditOutcome.Success, AuditActor.Anonymous, null, request.ClientAddress, request.RequestId)]),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IdentityNotFoundException or PendingDeletionException)
        {
            // Deleted, or its deletion scheduled, meanwhile: no code is sent.
            return;
        }

        codes.Send(identity.Email, CodePurpose.Recovery, code, expiresAt);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await HandleAsync(request, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "A recovery request was dropped: the address had its mails this hour")]
    private static partial void LogMailLimit(ILogger logger);

    // Only the exception's type: its message could name the address.
    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "A recovery request failed ({Error}); its owner may ask again")]
    private static partial void LogFailed(ILogger logger, string error);
}
