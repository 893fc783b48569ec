using System.ComponentModel.DataAnnotations;
using CryptoSecure.Application.Common.Mail;
using CryptoSecure.Infrastructure.Mail;
using static CryptoSecure.Infrastructure.Tests.Mail.MailTestKit;

namespace CryptoSecure.Infrastructure.Tests.Mail;

/// <summary>The Email settings' rules, and the mail's wording per purpose.</summary>
public sealed class EmailOptionsTests
{
    private const string Password = "smtp-password-sentinel-5c1e";

    public static TheoryData<string, Action<EmailOptions>, string> Refused() => new()
    {
        { "both transports", o => (o.Smtp.Host, o.PickupDirectory, o.From) = ("smtp.example.com", "/tmp/x", "a@example.com"), "Email:Smtp:Host and Email:PickupDirectory are both set" },
        { "smtp without from", o => o.Smtp.Host = "smtp.example.com", "Email:From must be set" },
        { "bad from", o => o.From = "not an address", "Email:From is not a mail address" },
        { "password without user", o => (o.Smtp.Host, o.From, o.Smtp.Password) = ("smtp.example.com", "a@example.com", Password), "Email:Smtp:Username and Email:Smtp:Password go together" },
        { "user without password", o => (o.Smtp.Host, o.From, o.Smtp.Username) = ("smtp.example.com", "a@example.com", "u"), "Email:Smtp:Username and Email:Smtp:Password go together" },
        { "password in clear", o => (o.Smtp.Host, o.From, o.Smtp.Username, o.Smtp.Password, o.Smtp.Security) = ("smtp.example.com", "a@example.com", "u", Password, SmtpSecurity.None), "would send the password in clear" },
        { "port", o => o.Smtp.Port = 0, "Email:Smtp:Port must be between 1 and 65535" },
        { "retry", o => o.RetryInitialSeconds = 0, "Email:RetryInitialSeconds" },
        { "cap below first", o => (o.RetryInitialSeconds, o.RetryMaxSeconds) = (10, 5), "Email:RetryMaxSeconds" },
        { "queue", o => o.QueueCapacity = 0, "Email:QueueCapacity" },
        { "certificate", o => o.Smtp.TrustedCertificateFile = "/nonexistent/ca.pem", "Email:Smtp:TrustedCertificateFile names /nonexistent/ca.pem" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_bad_combination_is_refused_naming_the_setting_and_never_the_password(string why, Action<EmailOptions> change, string message)
    {
        var options = new EmailOptions();
        change(options);

        var failures = Failures(options);

        failures.Should().Contain(f => f.Contains(message, StringComparison.Ordinal), why);
        string.Join('\n', failures).Should().NotContain(Password);
    }

    [Fact]
    public void The_defaults_and_a_usual_smtp_setup_are_accepted()
    {
        Failures(new EmailOptions()).Should().BeEmpty();
        Failures(new EmailOptions { From = "CryptoSecure <keys@example.com>", Smtp = { Host = "smtp.example.com", Username = "u", Password = Password } }).Should().BeEmpty();
        Failures(new EmailOptions { From = "keys@example.com", Smtp = { Host = "127.0.0.1", Port = 25, Security = SmtpSecurity.None, Username = "u", Password = Password } })
            .Should().BeEmpty("a relay on this host may take a password without TLS");
    }

    [Fact]
    public void The_options_print_without_the_password()
    {
        var options = new EmailOptions { Smtp = { Host = "smtp.example.com", Username = "u", Password = Password } };

        options.ToString().Should().NotContain(Password).And.Contain("redacted");
        options.Smtp.ToString().Should().NotContain(Password);
    }

    [Fact]
    public void A_recovery_mail_says_the_code_gives_control_of_the_api_key_and_a_registration_mail_says_what_to_do()
    {
        var code = NewCode();
        var expires = new DateTimeOffset(2030, 1, 2, 3, 4, 0, TimeSpan.Zero);
        var from = new MimeKit.MailboxAddress("CryptoSecure", "keys@example.com");

        var recovery = VerificationMessage.Build(NewMail(code, expires, VerificationPurpose.Recovery), from, expires.AddHours(-1));
        var registration = VerificationMessage.Build(NewMail(code, expires), from, expires.AddHours(-1));

        recovery.Subject.Should().Be("Your CryptoSecure recovery code");
        recovery.TextBody.Should().Contain("This code gives control of that identity's API key").And.Contain("ignore this mail");
        registration.Subject.Should().Be("Your CryptoSecure verification code");
        registration.TextBody.Should().Contain("with the registration's API key").And.Contain("ignore this mail");
        foreach (var message in new[] { recovery, registration })
        {
            var lines = message.TextBody!.ReplaceLineEndings("\n").Split('\n');
            lines.Should().Contain($"Code: {code}").And.Contain("The code expires at 2030-01-02 03:04 UTC.");
            lines.Count(l => l.Contains(code, StringComparison.Ordinal)).Should().Be(1, "the code is on its own line, once");
            message.HtmlBody.Should().Contain(code);
            message.Date.Should().Be(expires.AddHours(-1));
        }
    }

    private static List<string> Failures(EmailOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        Validator.TryValidateObject(options.Smtp, new ValidationContext(options.Smtp), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }
}
