using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MimeKit;

namespace CryptoSecure.Tests.Shared;

/// <summary>A mail the test SMTP server accepted: its envelope, the login used (if any), whether TLS was on, and the message.</summary>
internal sealed record ReceivedMail(string MailFrom, IReadOnlyList<string> Recipients, string? Login, bool Tls, MimeMessage Message)
{
    /// <summary>The text/plain part.</summary>
    public string Text => Message.TextBody ?? string.Empty;

    /// <summary>The lines of the text part.</summary>
    public IReadOnlyList<string> TextLines => Text.ReplaceLineEndings("\n").Split('\n');
}

/// <summary>What the test SMTP server asks of its clients.</summary>
/// <param name="Security">"None", "StartTls" (STARTTLS required) or "SslOnConnect".</param>
/// <param name="Certificate">The server's certificate (PEM files), for StartTls and SslOnConnect.</param>
/// <param name="User">With <paramref name="Password"/>: AUTH is required and only this login is accepted.</param>
/// <param name="Password">The password of <paramref name="User"/>.</param>
internal sealed record SmtpTestServerSettings(string Security = "None", TestCertificate? Certificate = null, string? User = null, string? Password = null);

/// <summary>
/// A real SMTP server on loopback for the tests: Debian's python3-aiosmtpd running
/// smtp_test_server.py (copied beside the tests), which writes every message it accepts to a
/// directory this class reads back. Tests skip with <see cref="Unavailable"/> when no python3 has
/// aiosmtpd (<c>apt-get install python3-aiosmtpd</c>; .ci/run installs it).
/// </summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private static readonly Lazy<string?> Python = new(() => new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(HasAiosmtpd));

    private readonly Process _process;
    private readonly string _directory;

    private SmtpTestServer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        _directory = directory;
    }

    /// <summary>Why the server cannot run here, or null when it can.</summary>
    public static string? Unavailable => Python.Value is null
        ? "No python3 with the aiosmtpd package (apt-get install python3-aiosmtpd): the tests against a real SMTP server did not run."
        : null;

    public int Port { get; }

    /// <summary>A loopback port nothing listens on at the moment (for a server that is down, or starts later).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts the server on <paramref name="port"/> (a free one if null) and waits until it accepts connections.</summary>
    public static async Task<SmtpTestServer> StartAsync(SmtpTestServerSettings? settings = null, int? port = null)
    {
        var python = Python.Value ?? throw new InvalidOperationException(Unavailable);
        settings ??= new SmtpTestServerSettings();
        var chosen = port ?? FreePort();
        var directory = Directory.CreateTempSubdirectory("cryptosecure-smtp-").FullName;
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Shared", "smtp_test_server.py"), "--port", chosen.ToString(System.Globalization.CultureInfo.InvariantCulture), "--maildir", directory, "--security", settings.Security })
        {
            start.ArgumentList.Add(argument);
        }

        if (settings.Certificate is { } certificate)
        {
            start.ArgumentList.Add("--cert");
            start.ArgumentList.Add(certificate.CertificateFile);
            start.ArgumentList.Add("--key");
            start.ArgumentList.Add(certificate.KeyFile);
        }

        if (settings.User is not null)
        {
            start.ArgumentList.Add("--user");
            start.ArgumentList.Add(settings.User);
            start.ArgumentList.Add("--password");
            start.ArgumentList.Add(settings.Password ?? string.Empty);
        }

        var process = Process.Start(start)!;
        var server = new SmtpTestServer(process, chosen, directory);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line != "READY")
            {
                throw new InvalidOperationException("The test SMTP server did not start: " + await process.StandardError.ReadToEndAsync(timeout.Token));
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Every message accepted so far, in the order it arrived.</summary>
    public IReadOnlyList<ReceivedMail> Received() =>
        Directory.GetFiles(_directory, "*.json").Order(StringComparer.Ordinal).Select(Read).ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived, and returns them.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(int count = 1, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var received = Received();
            if (received.Count >= count)
            {
                return received;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The test SMTP server received {received.Count} of {count} mails.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Stops the server (its port is free again once this returns); what it received stays readable.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static ReceivedMail Read(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var root = json.RootElement;
        using var raw = new MemoryStream(Convert.FromBase64String(root.GetProperty("data").GetString()!));
        return new ReceivedMail(
            root.GetProperty("mail_from").GetString()!,
            root.GetProperty("rcpt_tos").EnumerateArray().Select(e => e.GetString()!).ToList(),
            root.GetProperty("login").GetString(),
            root.GetProperty("tls").GetBoolean(),
            MimeMessage.Load(raw));
    }

    private static bool HasAiosmtpd(string python)
    {
        try
        {
            using var check = Process.Start(new ProcessStartInfo(python, ["-c", "import aiosmtpd"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            check.WaitForExit();
            return check.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>A self-signed certificate for 127.0.0.1 and localhost, as PEM files (certificate and key) in a temporary directory.</summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cryptosecure-cert-").FullName;

    public TestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public string CertificateFile => Path.Combine(_directory, "server.crt");

    public string KeyFile => Path.Combine(_directory, "server.key");

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
