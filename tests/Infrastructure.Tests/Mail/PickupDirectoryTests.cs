using System.Runtime.Versioning;
using CryptoSecure.Application.Common.Mail;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Infrastructure.Mail;
using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Startup;
using CryptoSecure.Infrastructure.Tests.FileSystem;
using Microsoft.Extensions.Hosting;
using MimeKit;
using Moq;
using static CryptoSecure.Infrastructure.Tests.Mail.MailTestKit;

namespace CryptoSecure.Infrastructure.Tests.Mail;

/// <summary>
/// The pickup directory (under umask 000, so owner-only modes cannot come from the umask's grace),
/// and how the transport is chosen at start.
/// </summary>
public sealed class PickupDirectoryTests : PermissiveUmask
{
    private readonly CapturedLogger<VerificationMailer> _logs = new();

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public async Task Each_mail_becomes_one_owner_only_eml_file_in_an_owner_only_directory()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var directory = Path.Combine(Temp, "outbox", "mail");
        var options = new EmailOptions { PickupDirectory = directory };
        var mailer = new VerificationMailer(new PickupDirectoryTransport(directory, _logs), options, TimeProvider.System, _logs);
        var code = NewCode();
        var expires = DateTimeOffset.UtcNow.AddHours(1);

        await mailer.StartAsync(CancellationToken.None);
        mailer.Enqueue(NewMail(code, expires, VerificationPurpose.Recovery));
        await _logs.WaitForAsync("Sent a Recovery mail");
        await mailer.StopAsync(CancellationToken.None);

        File.GetUnixFileMode(directory).Should().Be(OwnerOnlyDirectory);
        File.GetUnixFileMode(Path.Combine(Temp, "outbox")).Should().Be(OwnerOnlyDirectory, "missing parents are created owner-only too");
        Directory.GetFiles(directory).Should().ContainSingle("no temporary file is left behind").Which.Should().EndWith(".eml");
        var file = Directory.GetFiles(directory).Single();
        File.GetUnixFileMode(file).Should().Be(OwnerOnlyFile);
        (await File.ReadAllLinesAsync(file)).Should().Contain($"Code: {code}", "the README reads the code from the file with grep '^Code: '");
        var message = await MimeMessage.LoadAsync(file);
        message.From.Mailboxes.Single().Address.Should().Be("cryptosecure@localhost");
        message.To.Mailboxes.Single().Address.Should().Be(Address);
        message.Subject.Should().Be("Your CryptoSecure recovery code");
        message.TextBody!.ReplaceLineEndings("\n").Split('\n').Should().Contain($"Code: {code}");
        _logs.All.Should().NotContain(code).And.NotContain(Address);
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public void A_pickup_directory_others_may_write_to_is_refused_at_start()
    {
        Skip.If(OperatingSystem.IsWindows(), UnixOnly);
        var shared = Directory.CreateDirectory(Path.Combine(Temp, "shared")).FullName;
        File.SetUnixFileMode(shared, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);

        var act = () => new PickupDirectoryTransport(shared, _logs).Prepare();

        act.Should().Throw<StartupConfigurationException>().WithMessage("*can be written by other users*Email:PickupDirectory*");
    }

    [Fact]
    public void Development_without_mail_settings_writes_to_the_mail_directory_inside_the_data_directory()
    {
        var data = Path.Combine(Temp, "data");

        var transport = MailTransportSelection.Select(new EmailOptions(), new StorageOptions { DataDirectory = data }, Environment(Environments.Development), EmailVerificationMode.Required, _logs);

        transport.Should().BeOfType<PickupDirectoryTransport>().Which.Directory.Should().Be(Path.Combine(data, "mail"));
        Directory.Exists(Path.Combine(data, "mail")).Should().BeFalse("the directory is made when the sender starts, after the store's checks");
        transport!.Prepare();
        Directory.Exists(Path.Combine(data, "mail")).Should().BeTrue();
        _logs.All.Should().Contain($"Development: mail is written as .eml files to {Path.Combine(data, "mail")}");
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Elsewhere_a_required_verification_without_smtp_or_a_pickup_directory_refuses_to_start_naming_both(string environment)
    {
        var act = () => MailTransportSelection.Select(new EmailOptions(), new StorageOptions { DataDirectory = Temp }, Environment(environment), EmailVerificationMode.Required, _logs);

        act.Should().Throw<StartupConfigurationException>().Which.Message.Should().Contain("Email:Smtp:Host").And.Contain("Email:PickupDirectory").And.Contain("Registration:EmailVerification");
    }

    [Fact]
    public void With_verification_off_and_no_mail_settings_the_server_starts_without_a_transport()
    {
        MailTransportSelection.Select(new EmailOptions(), new StorageOptions { DataDirectory = Temp }, Environment(Environments.Production), EmailVerificationMode.Off, _logs)
            .Should().BeNull();
    }

    [Fact]
    public void Configured_smtp_is_used_in_any_environment_and_a_pickup_directory_wherever_it_is_set()
    {
        var smtp = new EmailOptions { From = "keys@example.com", Smtp = { Host = "smtp.example.com" } };
        var pickup = new EmailOptions { PickupDirectory = Path.Combine(Temp, "pickup") };

        MailTransportSelection.Select(smtp, new StorageOptions(), Environment(Environments.Development), EmailVerificationMode.Required, _logs)
            .Should().BeOfType<SmtpMailTransport>().Which.Description.Should().Be("SMTP smtp.example.com:587 (StartTls)");
        MailTransportSelection.Select(pickup, new StorageOptions(), Environment(Environments.Production), EmailVerificationMode.Required, _logs)
            .Should().BeOfType<PickupDirectoryTransport>();
    }

    private static IHostEnvironment Environment(string name)
    {
        var environment = new Mock<IHostEnvironment>();
        environment.SetupGet(e => e.EnvironmentName).Returns(name);
        return environment.Object;
    }
}
