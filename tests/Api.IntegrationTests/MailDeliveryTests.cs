using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Application.Common.Mail;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// The server's <see cref="IVerificationMailer"/>, as the verification flow gets it from the
/// container, configured from Email:* and delivering to a real SMTP server on loopback.
/// </summary>
public sealed class MailDeliveryTests
{
    [SkippableFact]
    public async Task The_configured_mailer_delivers_through_smtp_and_logs_neither_the_code_nor_the_address()
    {
        Skip.If(SmtpTestServer.Unavailable is not null, SmtpTestServer.Unavailable);
        await using var smtp = await SmtpTestServer.StartAsync();
        using var factory = ApiFactory.With(new Dictionary<string, string?>
        {
            ["Email:PickupDirectory"] = null,
            ["Email:From"] = "CryptoSecure <keys@cryptosecure.example>",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
        });
        using var client = factory.CreateClient(); // starts the host and its background services
        const string address = "bob.builder@mail-test.example";
        var code = "M" + Guid.NewGuid().ToString("N")[..11].ToUpperInvariant();

        factory.Services.GetRequiredService<IVerificationMailer>().Enqueue(
            new VerificationMail(EmailAddress.Parse(address), VerificationPurpose.Registration, code, DateTimeOffset.UtcNow.AddHours(1)));

        var mail = (await smtp.WaitForAsync()).Should().ContainSingle().Which;
        mail.Recipients.Should().Equal(address);
        mail.MailFrom.Should().Be("keys@cryptosecure.example");
        mail.TextLines.Should().Contain($"Code: {code}");
        factory.Logs.All.Should().Contain("Mail goes out through SMTP 127.0.0.1:" + smtp.Port)
            .And.NotContain(code).And.NotContain(address);
    }
}
