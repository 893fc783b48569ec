using CryptoSecure.Infrastructure.Mail;
using CryptoSecure.Tests.Shared;
using Microsoft.Extensions.Time.Testing;
using static CryptoSecure.Infrastructure.Tests.Mail.MailTestKit;

namespace CryptoSecure.Infrastructure.Tests.Mail;

/// <summary>
/// The mailer against a real SMTP server on loopback (aiosmtpd): what arrives, with which login and
/// TLS, what happens while the server is down, and that neither the code, the address nor the
/// password ever reaches a log line.
/// </summary>
public sealed class SmtpMailerTests : IAsyncLifetime
{
    private readonly CapturedLogger<VerificationMailer> _logs = new();
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly List<string> _secrets = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_cleanup))
        {
            await item.DisposeAsync();
        }

        // Whatever the test did: no code, no password and no whole address in any log line.
        foreach (var secret in _secrets.Append(Address))
        {
            _logs.All.Should().NotContain(secret);
        }
    }

    [SkippableFact]
    public async Task A_mail_arrives_with_its_code_on_a_line_of_its_own_and_its_from_to_and_subject()
    {
        Skip.If(SmtpTestServer.Unavailable is not null, SmtpTestServer.Unavailable);
        var server = await Server();
        var code = Code();
        var expires = DateTimeOffset.UtcNow.AddHours(24);
        var mailer = await Started(Mailer(SmtpOptions(server.Port), TimeProvider.System, _logs));
        mailer.Enqueue(NewMail(code, expires));

        var mail = (await server.WaitForAsync()).Should().ContainSingle().Which;

        mail.MailFrom.Should().Be("keys@cryptosecure.example");
        mail.Recipients.Should().Equal(Address);
        mail.Message.From.Mailboxes.Should().ContainSingle().Which.Address.Should().Be("keys@cryptosecure.example");
        mail.Message.To.Mailboxes.Should().ContainSingle().Which.Address.Should().Be(Address);
        mail.Message.Subject.Should().Be("Your CryptoSecure verification code");
        mail.TextLines.Should().Contain($"Code: {code}");
        mail.Text.Should().Contain($"expires at {expires.UtcDateTime:yyyy-MM-dd HH:mm} UTC").And.Contain("If you did not ask for this, ignore this mail");
        mail.Message.HtmlBody.Should().Contain(code);
        mail.Tls.Should().BeFalse();
        await _logs.WaitForAsync("Sent a Registration mail to an address at wonderland.example");
    }

    [SkippableFact]
    public async Task With_a_user_name_the_mailer_authenticates_and_a_wrong_password_is_retried_without_being_logged()
    {
        Skip.If(SmtpTestServer.Unavailable is not null, SmtpTestServer.Unavailable);
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        _secrets.AddRange([password, wrong]);
        var server = await Server(new SmtpTestServerSettings(User: "mailer", Password: password));

        var refused = await Started(Mailer(SmtpOptions(server.Port, s => (s.Username, s.Password) = ("mailer", wrong), retryInitial: 60, retryMax: 60), TimeProvider.System, _logs));
        refused.Enqueue(NewMail(Code(), DateTimeOffset.UtcNow.AddHours(1)));
        await _logs.WaitForAsync("could not be sent (attempt 1");
        server.Received().Should().BeEmpty("the server refused the login");

        var accepted = await Started(Mailer(SmtpOptions(server.Port, s => (s.Username, s.Password) = ("mailer", password)), TimeProvider.System, _logs));
        var code = Code();
        accepted.Enqueue(NewMail(code, DateTimeOffset.UtcNow.AddHours(1)));
        var mail = (await server.WaitForAsync()).Should().ContainSingle().Which;
        mail.Login.Should().Be("mailer");
        mail.TextLines.Should().Contain($"Code: {code}");
    }

    [SkippableFact]
    public async Task A_mail_sent_while_the_server_is_down_arrives_after_a_retry_once_it_is_up()
    {
        Skip.If(SmtpTestServer.Unavailable is not null, SmtpTestServer.Unavailable);
        var port = SmtpTestServer.FreePort();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var mailer = await Started(Mailer(SmtpOptions(port, retryInitial: 10, retryMax: 40), time, _logs));
        var code = Code();

        mailer.Enqueue(NewMail(code, time.GetUtcNow().AddHours(1)));
        await _logs.WaitForAsync("could not be sent (attempt 1");
        var server = await Server(port: port);
        server.Received().Should().BeEmpty("nothing is sent before the retry is due");

        var mail = await AdvanceUntilAsync(time, TimeSpan.FromSeconds(40), () => server.Received().Count > 0);

        mail.Should().BeTrue("the retry delivered the mail");
        server.Received().Should().ContainSingle().Which.TextLines.Should().Contain($"Code: {code}");
        mailer.Held.Should().Be(0);
    }

    [SkippableFact]
    public async Task A_mail_that_cannot_be_sent_before_its_code_expires_is_dropped_with_a_log_line()
    {
        Skip.If(SmtpTestServer.Unavailable is not null, SmtpTestServer.Unavailable);
        var port = SmtpTestServer.FreePort();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var mailer = await Started(Mailer(SmtpOptions(port, retryInitial: 10, retryMax: 20), time, _logs));

        mailer.Enqueue(NewMail(Code(), time.GetUtcNow().AddMinutes(2)));
        var dropped = await AdvanceUntilAsync(time, TimeSpan.FromSeconds(20), () => _logs.All.Contains("Dropped a Registration mail to an address at wonderland.example", StringComparison.Ordinal));
        dropped.Should().BeTrue(_logs.All);
        mailer.Held.Should().Be(0);

        var server = await Server(port: port);
        await AdvanceUntilAsync(time, TimeSpan.FromMinutes(5), () => server.Received().Count > 0, rounds: 20);
        server.Received().Should().BeEmpty("an expired code is never sent");
    }

    [SkippableTheory]
    [InlineData(SmtpSecurity.StartTls)]
    [InlineData(SmtpSecurity.SslOnConnect)]
    public async Task Over_tls_the_mail_arrives_when_the_certificate_is_trusted_and_not_otherwise(SmtpSecurity security)
    {
        Skip.If(SmtpTestServer.Unavailable is not null, SmtpTestServer.Unavailable);
        using var certificate = new TestCertificate();
        var server = await Server(new SmtpTestServerSettings(security.ToString(), certificate));

        var untrusting = await Started(Mailer(SmtpOptions(server.Port, s => s.Security = security, retryInitial: 60, retryMax: 60), TimeProvider.System, _logs));
        untrusting.Enqueue(NewMail(Code(), DateTimeOffset.UtcNow.AddHours(1)));
        await _logs.WaitForAsync("could not be sent (attempt 1");
        server.Received().Should().BeEmpty("a self-signed certificate is not trusted by default");

        var trusting = await Started(Mailer(SmtpOptions(server.Port, s => (s.Security, s.TrustedCertificateFile) = (security, certificate.CertificateFile)), TimeProvider.System, _logs));
        var code = Code();
        trusting.Enqueue(NewMail(code, DateTimeOffset.UtcNow.AddHours(1)));
        var mail = (await server.WaitForAsync()).Should().ContainSingle().Which;
        mail.Tls.Should().BeTrue();
        mail.TextLines.Should().Contain($"Code: {code}");
    }

    [Fact]
    public void A_full_queue_drops_the_newest_mail_with_a_warning_and_does_not_block()
    {
        var options = SmtpOptions(SmtpTestServer.FreePort());
        options.QueueCapacity = 2;
        var mailer = Mailer(options, TimeProvider.System, _logs); // not started: nothing drains the queue

        for (var i = 0; i < 3; i++)
        {
            mailer.Enqueue(NewMail(Code(), DateTimeOffset.UtcNow.AddHours(1)));
        }

        mailer.Held.Should().Be(2);
        _logs.All.Should().Contain("Dropped a Registration mail to an address at wonderland.example: 2 mails are already waiting");
    }

    [Fact]
    public async Task Shutdown_stops_at_once_while_a_retry_is_pending_and_says_how_many_mails_were_not_sent()
    {
        var mailer = Mailer(SmtpOptions(SmtpTestServer.FreePort(), retryInitial: 3600, retryMax: 3600), TimeProvider.System, _logs);
        await mailer.StartAsync(CancellationToken.None);
        mailer.Enqueue(NewMail(Code(), DateTimeOffset.UtcNow.AddHours(24)));
        await _logs.WaitForAsync("could not be sent (attempt 1");

        var stopping = mailer.StopAsync(CancellationToken.None);

        (await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(10)))).Should().BeSameAs(stopping, "the hour-long wait for the retry does not hold up the shutdown");
        await stopping;
        _logs.All.Should().Contain("Stopping with 1 mails unsent");
        mailer.Dispose();
    }

    [Fact]
    public void The_backoff_doubles_from_the_first_delay_up_to_the_cap_with_jitter()
    {
        var mailer = Mailer(SmtpOptions(1, retryInitial: 1, retryMax: 10), TimeProvider.System, _logs);

        for (var round = 0; round < 20; round++)
        {
            mailer.Backoff(1).TotalSeconds.Should().BeInRange(0.5, 1);
            mailer.Backoff(3).TotalSeconds.Should().BeInRange(2, 4);
            mailer.Backoff(10).TotalSeconds.Should().BeInRange(5, 10);
        }

        Enumerable.Range(0, 20).Select(_ => mailer.Backoff(3)).Distinct().Should().HaveCountGreaterThan(1, "jitter spreads the retries of many mails");
    }

    // Advances the fake clock a step at a time (real time passes between steps, for the sender's
    // socket work and for its timer to be set) until the condition holds.
    private static async Task<bool> AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> condition, int rounds = 200)
    {
        for (var i = 0; i < rounds; i++)
        {
            if (condition())
            {
                return true;
            }

            time.Advance(step);
            await Task.Delay(50);
        }

        return condition();
    }

    private string Code()
    {
        var code = NewCode();
        _secrets.Add(code);
        return code;
    }

    private async Task<SmtpTestServer> Server(SmtpTestServerSettings? settings = null, int? port = null)
    {
        var server = await SmtpTestServer.StartAsync(settings, port);
        _cleanup.Add(server);
        return server;
    }

    private async Task<VerificationMailer> Started(VerificationMailer mailer)
    {
        await mailer.StartAsync(CancellationToken.None);
        _cleanup.Add(new Stopper(mailer));
        return mailer;
    }

    private sealed class Stopper(VerificationMailer mailer) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await mailer.StopAsync(CancellationToken.None);
            mailer.Dispose();
        }
    }
}
