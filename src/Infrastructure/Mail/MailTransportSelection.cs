using CryptoSecure.Application.Common.Options;
using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Mail;

/// <summary>
/// Chooses how mail goes out, at start: <c>Email:PickupDirectory</c>, else SMTP at
/// <c>Email:Smtp:Host</c>, else (in Development only) a pickup directory <c>&lt;data directory&gt;/mail</c>.
/// Any other environment with neither, while <c>Registration:EmailVerification</c> is <c>Required</c>,
/// refuses to start: registrations could never be verified.
/// </summary>
internal static partial class MailTransportSelection
{
    /// <summary>Name of the Development pickup directory inside the data directory.</summary>
    public const string DevelopmentDirectoryName = "mail";

    /// <summary>Picks the transport, or none (verification Off and nothing configured).</summary>
    /// <exception cref="StartupConfigurationException">Verification is required and mail cannot be sent, or the pickup directory is not owner-only.</exception>
    public static IMailTransport? Select(EmailOptions email, StorageOptions storage, IHostEnvironment environment, EmailVerificationMode verification, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(environment);
        if (email.UsesPickupDirectory)
        {
            return new PickupDirectoryTransport(email.PickupDirectory!, logger);
        }

        if (email.UsesSmtp)
        {
            return new SmtpMailTransport(email.Smtp);
        }

        if (environment.IsDevelopment())
        {
            var pickup = new PickupDirectoryTransport(Path.Combine(storage.DataDirectory, DevelopmentDirectoryName), logger);
            LogDevelopmentPickup(logger, pickup.Directory);
            return pickup;
        }

        if (verification == EmailVerificationMode.Required)
        {
            throw new StartupConfigurationException(
                "Registration:EmailVerification is Required, but no way to send the verification mails is configured: " +
                "set Email:Smtp:Host (an SMTP server) or Email:PickupDirectory (a directory for .eml files). " +
                $"Only Development writes mail to <data directory>/{DevelopmentDirectoryName} by default (this is {environment.EnvironmentName}).");
        }

        return null;
    }

    [LoggerMessage(EventId = 2609, Level = LogLevel.Information, Message =
        "Development: mail is written as .eml files to {Directory} (set Email:Smtp:Host to send through SMTP).")]
    private static partial void LogDevelopmentPickup(ILogger logger, string directory);
}
