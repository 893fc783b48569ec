using System.Collections.Concurrent;
using CryptoSecure.Application.Common.Mail;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Mail;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Tests.Mail;

/// <summary>Every log line written through it: message, structured values and exception.</summary>
internal sealed class CapturedLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string All => string.Join('\n', _lines);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
        _lines.Enqueue($"{logLevel} {eventId.Id}: {formatter(state, exception)} | {values} | {exception}");
    }

    /// <summary>Waits until a line contains <paramref name="text"/>.</summary>
    public async Task WaitForAsync(string text, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(30));
        while (!All.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No log line with \"{text}\". Lines:\n{All}");
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>Builds mailers and mails for the tests.</summary>
internal static class MailTestKit
{
    public const string Address = "alice.liddell@wonderland.example";

    /// <summary>A code with a recognisable shape: the tests look for it in the mail, and nowhere else.</summary>
    public static string NewCode() => "K" + Guid.NewGuid().ToString("N")[..11].ToUpperInvariant();

    public static VerificationMail NewMail(string code, DateTimeOffset expiresAt, VerificationPurpose purpose = VerificationPurpose.Registration) =>
        new(EmailAddress.Parse(Address), purpose, code, expiresAt);

    public static EmailOptions SmtpOptions(int port, Action<SmtpOptions>? smtp = null, double retryInitial = 0.05, double retryMax = 0.2)
    {
        var options = new EmailOptions
        {
            From = "CryptoSecure <keys@cryptosecure.example>",
            RetryInitialSeconds = retryInitial,
            RetryMaxSeconds = retryMax,
            Smtp = { Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None },
        };
        smtp?.Invoke(options.Smtp);
        return options;
    }

    public static VerificationMailer Mailer(EmailOptions options, TimeProvider time, CapturedLogger<VerificationMailer> logs) =>
        new(new SmtpMailTransport(options.Smtp), options, time, logs);
}
