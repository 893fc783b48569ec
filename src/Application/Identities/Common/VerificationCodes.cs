using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Mail;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Identities.Common;

/// <summary>
/// Makes one-time codes and mails them, within the per-address mail limit. The order every caller
/// keeps: <see cref="CountMailAsync"/> (refuses before anything is made), <see cref="New"/>, save the
/// identity waiting for the code, then <see cref="Send"/>: a code is mailed only once its hash is stored.
/// </summary>
/// <remarks>
/// The mailer is resolved when a mail flow starts (in <see cref="TryCountMailAsync"/>, before anything
/// is stored), not when this is built: registering with <c>Registration:EmailVerification=Off</c>
/// never needs the mail transport, so it never builds it.
/// </remarks>
public sealed class VerificationCodes(IRegistrationStore registrations, IServiceProvider services, IOptions<RegistrationOptions> options, TimeProvider clock)
{
    private IVerificationMailer? _mailer;

    /// <summary>Counts a mail to <paramref name="to"/> against <c>Registration:MailsPerAddressPerHour</c>.</summary>
    /// <exception cref="MailLimitReachedException">The address had its mails this hour.</exception>
    public async Task CountMailAsync(EmailAddress to, CancellationToken cancellationToken)
    {
        if (await TryCountMailAsync(to, cancellationToken).ConfigureAwait(false) is { } wait)
        {
            throw new MailLimitReachedException(wait);
        }
    }

    /// <summary>Counts a mail to <paramref name="to"/>; null when counted, otherwise how long until one may be sent.</summary>
    public Task<TimeSpan?> TryCountMailAsync(EmailAddress to, CancellationToken cancellationToken)
    {
        _mailer ??= services.GetRequiredService<IVerificationMailer>();
        return registrations.TryCountMailAsync(to, clock.GetUtcNow(), options.Value.MailsPerAddressPerHour, cancellationToken);
    }

    /// <summary>A new code for <paramref name="identityId"/>: the text for the mail, and the form the identity keeps.</summary>
    public static (string Code, OneTimeCode Stored) New(Guid identityId, CodePurpose purpose, DateTimeOffset expiresAt)
    {
        var code = OneTimeCode.Generate();
        return (code, new OneTimeCode(purpose, OneTimeCode.HashOf(identityId, code), 0, expiresAt));
    }

    /// <summary>Queues the mail (off the request path; the mailer retries).</summary>
    public void Send(EmailAddress to, CodePurpose purpose, string code, DateTimeOffset expiresAt) =>
        (_mailer ?? services.GetRequiredService<IVerificationMailer>()).Enqueue(new VerificationMail(to, purpose == CodePurpose.Recovery ? VerificationPurpose.Recovery : VerificationPurpose.Registration, code, expiresAt));
}
