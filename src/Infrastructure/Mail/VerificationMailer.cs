using System.Threading.Channels;
using CryptoSecure.Application.Common.Mail;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CryptoSecure.Infrastructure.Mail;

/// <summary>
/// The <see cref="IVerificationMailer"/>: <see cref="Enqueue"/> puts the mail on a bounded in-memory
/// queue and returns at once; this background service sends it. A failed send is retried with
/// exponential backoff and jitter until the code expires, then dropped with a log line. A full queue
/// drops the newest mail with a warning, never blocking the request. Log lines name the purpose and
/// the address's domain, never the code or the whole address.
/// </summary>
/// <remarks>
/// Mails waiting for a retry are held apart from the queue, so one undeliverable mail does not hold
/// up the others; <see cref="EmailOptions.QueueCapacity"/> bounds both together. Whatever is unsent
/// at shutdown is lost with a log line saying how many: only the codes' hashes are stored, so their
/// owners ask for new codes, and no registration is lost.
/// </remarks>
internal sealed partial class VerificationMailer : BackgroundService, IVerificationMailer
{
    private readonly Channel<VerificationMail> _queue;
    private readonly List<Waiting> _waiting = [];
    private readonly IMailTransport? _transport;
    private readonly MailboxAddress _from;
    private readonly EmailOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _held;

    public VerificationMailer(IMailTransport? transport, EmailOptions options, TimeProvider time, ILogger<VerificationMailer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _transport = transport;
        _options = options;
        _time = time;
        _logger = logger;
        _from = VerificationMessage.TryParseFrom(string.IsNullOrWhiteSpace(options.From) ? VerificationMessage.DefaultPickupFrom : options.From, out var from)
            ? from!
            : throw new ArgumentException("Email:From is not a mail address.", nameof(options));
        _queue = Channel.CreateBounded<VerificationMail>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Mails queued or waiting for a retry.</summary>
    internal int Held => Volatile.Read(ref _held);

    /// <inheritdoc />
    public void Enqueue(VerificationMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (_transport is null)
        {
            LogNoTransport(_logger, mail.Purpose, Domain(mail));
            return;
        }

        if (Interlocked.Increment(ref _held) > _options.QueueCapacity || !_queue.Writer.TryWrite(mail))
        {
            Interlocked.Decrement(ref _held);
            LogQueueFull(_logger, mail.Purpose, Domain(mail), _options.QueueCapacity);
        }
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _transport?.Prepare();
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_transport is null)
        {
            return;
        }

        LogTransport(_logger, _transport.Description);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                var next = _waiting.Count == 0 ? null : _waiting.MinBy(w => w.NextAttemptAt);
                if (next is not null && next.NextAttemptAt <= now)
                {
                    _waiting.Remove(next);
                    await AttemptAsync(next.Mail, next.FailedAttempts, stoppingToken).ConfigureAwait(false);
                }
                else if (_queue.Reader.TryRead(out var mail))
                {
                    await AttemptAsync(mail, failedAttempts: 0, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    await WaitAsync(next is null ? Timeout.InfiniteTimeSpan : next.NextAttemptAt - now, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: stop sending at once.
        }

        if (Held > 0)
        {
            LogUnsentAtShutdown(_logger, Held);
        }
    }

    // Until a mail arrives or the next retry is due, whichever comes first.
    private async Task WaitAsync(TimeSpan untilRetry, CancellationToken stoppingToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var arrival = _queue.Reader.WaitToReadAsync(wake.Token).AsTask();
        var retry = untilRetry == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, wake.Token) : Task.Delay(untilRetry, _time, wake.Token);
        await Task.WhenAny(arrival, retry).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
    }

    private async Task AttemptAsync(VerificationMail mail, int failedAttempts, CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        if (now >= mail.ExpiresAt)
        {
            Release();
            LogExpired(_logger, mail.Purpose, Domain(mail), failedAttempts);
            return;
        }

        try
        {
            await _transport!.SendAsync(VerificationMessage.Build(mail, _from, now), stoppingToken).ConfigureAwait(false);
            Release();
            LogSent(_logger, mail.Purpose, Domain(mail), failedAttempts + 1);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)ex.StatusCode >= 500)
        {
            // The server refuses this address for good: retrying cannot help.
            Release();
            LogRejected(_logger, mail.Purpose, Domain(mail), (int)ex.StatusCode);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var failed = failedAttempts + 1;
            var delay = Backoff(failed);
            var at = _time.GetUtcNow() + delay;
            if (at >= mail.ExpiresAt)
            {
                Release();
                LogGivingUp(_logger, mail.Purpose, Domain(mail), failed, Reason(ex));
                return;
            }

            LogRetrying(_logger, mail.Purpose, Domain(mail), failed, Reason(ex), delay.TotalSeconds);
            _waiting.Add(new Waiting(mail, failed, at));
        }
    }

    /// <summary>Doubles from RetryInitialSeconds up to RetryMaxSeconds, each wait drawn between half and all of it.</summary>
    internal TimeSpan Backoff(int failedAttempts)
    {
        var full = Math.Min(_options.RetryMaxSeconds, _options.RetryInitialSeconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30)));
        return TimeSpan.FromSeconds(full * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }

    private void Release() => Interlocked.Decrement(ref _held);

    private static string Domain(VerificationMail mail) => mail.To.Normalized[(mail.To.Normalized.LastIndexOf('@') + 1)..];

    // The SMTP status for a refused command (its text may quote the address); the error itself for a
    // connection, TLS or protocol failure. The code is only ever in the mail's body, never in either.
    private static string Reason(Exception ex) => ex switch
    {
        SmtpCommandException command => $"SMTP {(int)command.StatusCode} ({command.ErrorCode})",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    [LoggerMessage(EventId = 2600, Level = LogLevel.Information, Message = "Mail goes out through {Transport}.")]
    private static partial void LogTransport(ILogger logger, string transport);

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Sent a {Purpose} mail to an address at {Domain} (attempt {Attempt}).")]
    private static partial void LogSent(ILogger logger, VerificationPurpose purpose, string domain, int attempt);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning, Message = "A {Purpose} mail to an address at {Domain} could not be sent (attempt {Attempt}: {Reason}); retrying in {RetrySeconds:0.0} s.")]
    private static partial void LogRetrying(ILogger logger, VerificationPurpose purpose, string domain, int attempt, string reason, double retrySeconds);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Warning, Message = "Dropped a {Purpose} mail to an address at {Domain}: its code expired before it could be sent ({Attempts} failed attempts).")]
    private static partial void LogExpired(ILogger logger, VerificationPurpose purpose, string domain, int attempts);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Warning, Message = "Dropped a {Purpose} mail to an address at {Domain}: attempt {Attempt} failed ({Reason}) and its code expires before the next retry.")]
    private static partial void LogGivingUp(ILogger logger, VerificationPurpose purpose, string domain, int attempt, string reason);

    [LoggerMessage(EventId = 2605, Level = LogLevel.Warning, Message = "Dropped a {Purpose} mail to an address at {Domain}: the SMTP server refused the recipient for good (SMTP {Status}).")]
    private static partial void LogRejected(ILogger logger, VerificationPurpose purpose, string domain, int status);

    [LoggerMessage(EventId = 2606, Level = LogLevel.Warning, Message = "Dropped a {Purpose} mail to an address at {Domain}: {Capacity} mails are already waiting to be sent (Email:QueueCapacity).")]
    private static partial void LogQueueFull(ILogger logger, VerificationPurpose purpose, string domain, int capacity);

    [LoggerMessage(EventId = 2607, Level = LogLevel.Warning, Message = "Did not send a {Purpose} mail to an address at {Domain}: no way to send mail is configured (set Email:Smtp:Host or Email:PickupDirectory).")]
    private static partial void LogNoTransport(ILogger logger, VerificationPurpose purpose, string domain);

    [LoggerMessage(EventId = 2608, Level = LogLevel.Warning, Message = "Stopping with {Count} mails unsent; their owners can ask for new codes.")]
    private static partial void LogUnsentAtShutdown(ILogger logger, int count);

    private sealed record Waiting(VerificationMail Mail, int FailedAttempts, DateTimeOffset NextAttemptAt);
}
