using System.Collections.Concurrent;
using CryptoSecure.Application.Common.Mail;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>
/// An <see cref="IVerificationMailer"/> that keeps every mail instead of sending it, so a test can
/// read the code a mailbox would receive (unit-level HTTP tests; the end-to-end flow goes through a
/// real SMTP server once the mail sender is in).
/// </summary>
public sealed class RecordingMailer : IVerificationMailer
{
    private readonly ConcurrentQueue<VerificationMail> _sent = new();

    public IReadOnlyList<VerificationMail> Sent => [.. _sent];

    public void Enqueue(VerificationMail mail) => _sent.Enqueue(mail);

    /// <summary>Every mail to <paramref name="email"/> (any spelling) for <paramref name="purpose"/>, oldest first.</summary>
    public IReadOnlyList<VerificationMail> To(string email, VerificationPurpose purpose = VerificationPurpose.Registration) =>
        _sent.Where(m => string.Equals(m.To.Normalized, email.Trim().ToLowerInvariant(), StringComparison.Ordinal) && m.Purpose == purpose).ToList();

    /// <summary>The code of the latest mail to <paramref name="email"/> for <paramref name="purpose"/>.</summary>
    public string LatestCode(string email, VerificationPurpose purpose = VerificationPurpose.Registration) =>
        To(email, purpose) is { Count: > 0 } mails ? mails[^1].Code : throw new InvalidOperationException($"No {purpose} mail to {email}.");

    /// <summary>Waits (up to 10 s) for the <paramref name="count"/>th mail to <paramref name="email"/> for <paramref name="purpose"/>; work off the request path mails later.</summary>
    public async Task<VerificationMail> WaitForAsync(string email, VerificationPurpose purpose, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var mails = To(email, purpose);
            if (mails.Count >= count)
            {
                return mails[count - 1];
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No {purpose} mail number {count} to {email} within 10 s.");
    }
}

/// <summary>
/// The server with <c>Registration:EmailVerification=Required</c> (the product default) and a
/// <see cref="RecordingMailer"/> in place of the mail sender.
/// </summary>
public class VerificationFactory : ApiFactory
{
    public VerificationFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    protected VerificationFactory(IDictionary<string, string?> overrides)
        : base(WithRequired(overrides))
    {
    }

    public RecordingMailer Mailer { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IVerificationMailer>(Mailer);
            ConfigureMoreServices(services);
        });
    }

    protected virtual void ConfigureMoreServices(IServiceCollection services)
    {
    }

    private static Dictionary<string, string?> WithRequired(IDictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?> { ["Registration:EmailVerification"] = "Required" };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }
}
