using System.ComponentModel.DataAnnotations;
using CryptoSecure.Domain;

namespace CryptoSecure.Infrastructure.Mail;

/// <summary>How mail goes out (section "Email"): SMTP through MailKit, or a pickup directory of .eml files.</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string SectionName = "Email";

    /// <summary>The From address of every mail (for example <c>CryptoSecure &lt;keys@example.com&gt;</c>); required with SMTP.</summary>
    public string? From { get; set; }

    /// <summary>A directory that receives one .eml file per mail instead of SMTP (created 0700, files 0600).</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>The SMTP server.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Seconds before the first retry of a failed send; each further retry waits twice as long (with jitter).</summary>
    public double RetryInitialSeconds { get; set; } = 5;

    /// <summary>The longest wait between two attempts.</summary>
    public double RetryMaxSeconds { get; set; } = 300;

    /// <summary>Mails waiting to be sent (queued or between retries); past it the newest is dropped with a warning.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Whether SMTP is configured.</summary>
    internal bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

    /// <summary>Whether a pickup directory is configured.</summary>
    internal bool UsesPickupDirectory => !string.IsNullOrWhiteSpace(PickupDirectory);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesSmtp && UsesPickupDirectory)
        {
            yield return new ValidationResult("Email:Smtp:Host and Email:PickupDirectory are both set; set one of them: SMTP, or a directory of .eml files.");
        }

        if (!string.IsNullOrWhiteSpace(From) && !VerificationMessage.TryParseFrom(From, out _))
        {
            yield return new ValidationResult("Email:From is not a mail address (for example keys@example.com or \"CryptoSecure <keys@example.com>\").");
        }

        if (UsesSmtp && string.IsNullOrWhiteSpace(From))
        {
            yield return new ValidationResult("Email:From must be set when Email:Smtp:Host is: the address the mails come from.");
        }

        if (!(RetryInitialSeconds is >= 0.01 and <= 3600))
        {
            yield return new ValidationResult("Email:RetryInitialSeconds must be between 0.01 and 3600.");
        }

        if (!(RetryMaxSeconds is >= 0.01 and <= 86400) || RetryMaxSeconds < RetryInitialSeconds)
        {
            yield return new ValidationResult("Email:RetryMaxSeconds must be between 0.01 and 86400, and at least Email:RetryInitialSeconds.");
        }

        if (QueueCapacity is < 1 or > 1_000_000)
        {
            yield return new ValidationResult("Email:QueueCapacity must be between 1 and 1000000.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"EmailOptions(From={From}, PickupDirectory={PickupDirectory}, {Smtp})";
}

/// <summary>Which TLS the SMTP connection uses.</summary>
public enum SmtpSecurity
{
    /// <summary>No TLS: the mail (and its code) crosses the network in clear. Only for a relay on the same host or a trusted network.</summary>
    None,

    /// <summary>Plain connection upgraded with STARTTLS, which must succeed (usually port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,
}

/// <summary>The SMTP server (section "Email:Smtp").</summary>
public sealed class SmtpOptions : IValidatableObject
{
    /// <summary>Host name or address of the SMTP server; unset means no SMTP.</summary>
    public string? Host { get; set; }

    /// <summary>Port; unset means 25 for None, 587 for StartTls, 465 for SslOnConnect.</summary>
    public int? Port { get; set; }

    /// <summary>TLS mode.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>User name to authenticate with; unset means no authentication.</summary>
    public string? Username { get; set; }

    /// <summary>Password for <see cref="Username"/>.</summary>
    [Secret]
    public string? Password { get; set; }

    /// <summary>
    /// A PEM file with a certificate (a private CA or the server's own self-signed certificate) trusted
    /// for the SMTP server besides the system's trust store. The host name must still match.
    /// </summary>
    public string? TrustedCertificateFile { get; set; }

    /// <summary>The port used: <see cref="Port"/> or the usual one for <see cref="Security"/>.</summary>
    internal int EffectivePort => Port ?? Security switch
    {
        SmtpSecurity.None => 25,
        SmtpSecurity.SslOnConnect => 465,
        _ => 587,
    };

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Port is < 1 or > 65535)
        {
            yield return new ValidationResult("Email:Smtp:Port must be between 1 and 65535.");
        }

        if (!Enum.IsDefined(Security))
        {
            yield return new ValidationResult("Email:Smtp:Security must be None, StartTls or SslOnConnect.");
        }

        var hasUser = !string.IsNullOrEmpty(Username);
        var hasPassword = !string.IsNullOrEmpty(Password);
        if (hasUser != hasPassword)
        {
            yield return new ValidationResult("Email:Smtp:Username and Email:Smtp:Password go together: set both to authenticate, or neither.");
        }

        if (hasUser && Security == SmtpSecurity.None && !IsLoopback(Host))
        {
            yield return new ValidationResult(
                "Email:Smtp:Username is set with Email:Smtp:Security=None, which would send the password in clear; use StartTls or SslOnConnect (None with a password is accepted only for a server on this host).");
        }

        if (!string.IsNullOrWhiteSpace(TrustedCertificateFile) && !File.Exists(TrustedCertificateFile))
        {
            yield return new ValidationResult($"Email:Smtp:TrustedCertificateFile names {Path.GetFullPath(TrustedCertificateFile)}, which does not exist.");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"SmtpOptions(Host={Host}, Port={EffectivePort}, Security={Security}, Username={Username}, Password={(Password is null ? "unset" : "redacted")})";

    private static bool IsLoopback(string? host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
}
