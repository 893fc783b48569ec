using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CryptoSecure.Infrastructure.FileSystem;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CryptoSecure.Infrastructure.Mail;

/// <summary>Delivers one built mail, or throws; the sender decides about retries.</summary>
internal interface IMailTransport
{
    /// <summary>What it is, for the start-up log line (never a secret).</summary>
    string Description { get; }

    /// <summary>At start, before the first mail: sets up what the transport needs.</summary>
    /// <exception cref="Startup.StartupConfigurationException">It cannot be set up as configured.</exception>
    void Prepare();

    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>SMTP through MailKit: one connection per mail, TLS as configured, AUTH when a user name is set.</summary>
internal sealed class SmtpMailTransport : IMailTransport
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly SmtpOptions _smtp;
    private readonly X509Certificate2Collection? _trusted;

    public SmtpMailTransport(SmtpOptions smtp)
    {
        ArgumentNullException.ThrowIfNull(smtp);
        _smtp = smtp;
        if (!string.IsNullOrWhiteSpace(smtp.TrustedCertificateFile))
        {
            _trusted = [];
            _trusted.ImportFromPemFile(smtp.TrustedCertificateFile);
        }
    }

    public void Prepare()
    {
        // Nothing to set up: a server that is down at start is retried like any failed send.
    }

    public string Description => $"SMTP {_smtp.Host}:{_smtp.EffectivePort} ({_smtp.Security}{(string.IsNullOrEmpty(_smtp.Username) ? string.Empty : ", authenticated")})";

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        if (_trusted is not null)
        {
            client.ServerCertificateValidationCallback = TrustConfiguredCertificate;
        }

        var options = _smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(_smtp.Host!, _smtp.EffectivePort, options, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(_smtp.Username))
        {
            await client.AuthenticateAsync(_smtp.Username, _smtp.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
        }

        await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }

    // The system's verdict, or else a chain to the configured certificate with the host name matching:
    // the file adds one trust anchor, it never turns checking off.
    private bool TrustConfiguredCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trusted!);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf);
    }
}

/// <summary>
/// Writes each mail as an .eml file: to a hidden temporary name first, then renamed, so a reader
/// that lists *.eml never sees half a mail. The files hold codes: the directory is 0700 and each
/// file is created 0600.
/// </summary>
internal sealed class PickupDirectoryTransport : IMailTransport
{
    private readonly string _directory;
    private readonly ILogger _logger;

    public PickupDirectoryTransport(string directory, ILogger logger)
    {
        _directory = Path.GetFullPath(directory);
        _logger = logger;
    }

    /// <summary>
    /// Creates the directory 0700 or checks an existing one (a start-up refusal if others may write
    /// to it). Called when the sender starts, after the key store's own start-up checks, so a refused
    /// start leaves nothing behind in a data directory it refused.
    /// </summary>
    public void Prepare() => OwnerOnlyFiles.PrepareDirectory(_directory, "Email:PickupDirectory", _logger);

    public string Description => $"pickup directory {_directory}";

    public string Directory => _directory;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var name = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(_directory, $".{name}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFiles.FileMode;
        }

        try
        {
            var stream = new FileStream(temporary, options);
            await using (stream.ConfigureAwait(false))
            {
                await message.WriteToAsync(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path.Combine(_directory, name + ".eml"));
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
