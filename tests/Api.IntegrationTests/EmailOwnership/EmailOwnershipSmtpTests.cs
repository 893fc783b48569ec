using System.Net;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Tests.Shared;

namespace CryptoSecure.Api.IntegrationTests.EmailOwnership;

/// <summary>
/// The whole flow end to end with the real mail sender: register over HTTP, the code arrives at a
/// real SMTP server on loopback, is read from the mail's <c>Code:</c> line, and verifies the address;
/// recovery goes the same way. Skips, saying why, when the SMTP test server cannot run here.
/// </summary>
public sealed class EmailOwnershipSmtpTests
{
    [SkippableFact]
    public async Task Register_receive_the_code_by_smtp_verify_then_recover_the_key_by_smtp()
    {
        Skip.If(SmtpTestServer.Unavailable is not null, SmtpTestServer.Unavailable);
        await using var smtp = await SmtpTestServer.StartAsync();
        using var factory = ApiFactory.With(new Dictionary<string, string?>
        {
            ["Registration:EmailVerification"] = "Required",
            ["Email:PickupDirectory"] = null,
            ["Email:From"] = "CryptoSecure <keys@cryptosecure.example>",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
        });
        using var api = factory.NewClient();
        var email = ApiClient.NewEmail("smtp");

        var registered = await api.RegisterAsync(email);
        (await api.GetAsync($"/api/v1/users/{email}/keys")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var mail = (await smtp.WaitForAsync()).Should().ContainSingle().Which;
        mail.Recipients.Should().Equal(email);
        var code = CodeOf(mail);

        var verified = await api.PostAsync($"/api/v1/users/{email}/email-verification", new { code }, registered.ApiKey);

        verified.StatusCode.Should().Be(HttpStatusCode.OK);
        ((bool)(await ApiClient.JsonAsync(await api.GetAsync($"/api/v1/users/{email}/keys")))["emailVerified"]!).Should().BeTrue();

        (await api.PostAsync($"/api/v1/users/{email}/recovery", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var recovery = (await smtp.WaitForAsync(count: 2))[1];
        var completed = await api.PostAsync($"/api/v1/users/{email}/recovery/complete", new { code = CodeOf(recovery) });

        completed.StatusCode.Should().Be(HttpStatusCode.OK);
        var newKey = (string)(await ApiClient.JsonAsync(completed))["apiKey"]!;
        (await api.GetAsync($"/api/v1/users/{email}/audit", registered.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await api.GetAsync($"/api/v1/users/{email}/audit", newKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        factory.Logs.All.Should().NotContain(code).And.NotContain(CodeOf(recovery)).And.NotContain(registered.ApiKey).And.NotContain(newKey);
    }

    private static string CodeOf(ReceivedMail mail) =>
        mail.TextLines.Single(l => l.StartsWith("Code: ", StringComparison.Ordinal))["Code: ".Length..].Trim();
}
