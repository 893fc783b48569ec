using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Mail at start-up, on the real server process: outside Development a required verification needs
/// a way to send mail, Development writes .eml files into the data directory, and a refusal never
/// echoes the SMTP password.
/// </summary>
public sealed class MailStartupTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-mail-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task Production_with_verification_required_and_no_way_to_send_mail_refuses_to_start_naming_the_settings()
    {
        var exit = await ServerProcess.RunUntilExitAsync("Production", _dataDirectory, NewMasterKey(), new Dictionary<string, string>
        {
            ["Email__PickupDirectory"] = string.Empty,

            // The product default, set here because these server processes default to Off.
            ["Registration__EmailVerification"] = "Required",
        });

        exit.ShouldBeOneLineRefusal("Email:Smtp:Host", "Email:PickupDirectory", "Registration:EmailVerification");
    }

    [Fact]
    public async Task A_refused_smtp_setting_names_the_setting_and_never_echoes_the_password()
    {
        var password = "smtp-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

        var exit = await ServerProcess.RunUntilExitAsync("Production", _dataDirectory, NewMasterKey(), new Dictionary<string, string>
        {
            ["Email__PickupDirectory"] = string.Empty,
            ["Email__From"] = "keys@example.com",
            ["Email__Smtp__Host"] = "smtp.example.com",
            ["Email__Smtp__Password"] = password,
        });

        exit.ShouldBeOneLineRefusal("Email:Smtp:Username", "Email:Smtp:Password");
        (exit.Output + exit.Error).Should().NotContain(password);
    }

    [Theory]
    [InlineData("Email__Smtp__Security", "Tls", "Email:Smtp:Security")]
    [InlineData("Email__Smtp__Port", "70000", "Email:Smtp:Port")]
    [InlineData("Email__RetryMaxSeconds", "0", "Email:RetryMaxSeconds")]
    public async Task A_bad_mail_setting_refuses_to_start_naming_its_path(string variable, string value, string path)
    {
        var exit = await ServerProcess.RunUntilExitAsync("Production", _dataDirectory, NewMasterKey(), new Dictionary<string, string> { [variable] = value });

        exit.ShouldBeOneLineRefusal(path);
    }

    [Fact]
    public async Task Production_with_verification_off_starts_without_mail_settings()
    {
        var (server, http) = await ServerProcess.StartAsync("Production", _dataDirectory, NewMasterKey(), new Dictionary<string, string>
        {
            ["Email__PickupDirectory"] = string.Empty,
            ["Registration__EmailVerification"] = "Off",
        }, umask: "077");
        await using (server)
        using (http)
        {
            (await http.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
            await server.TerminateAsync();
            (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).ExitCode.Should().Be(0);
        }
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Development_without_mail_settings_writes_mail_to_an_owner_only_directory_in_the_data_directory_and_says_where()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only.");
        var (server, http) = await ServerProcess.StartAsync("Development", _dataDirectory, NewMasterKey(), new Dictionary<string, string>
        {
            ["Email__PickupDirectory"] = string.Empty,
        }, umask: "000");
        await using (server)
        using (http)
        {
            var mail = Path.Combine(_dataDirectory, "mail");
            Directory.Exists(mail).Should().BeTrue();
            File.GetUnixFileMode(mail).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "it will hold codes, whatever the umask");
            server.Output.Should().Contain($"Development: mail is written as .eml files to {mail}");
            await server.TerminateAsync();
            (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).ExitCode.Should().Be(0, "a SIGTERM stops the mail sender cleanly with the rest");
        }
    }

    private static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
