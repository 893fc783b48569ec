using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CryptoSecure.Cli.Tests.Infrastructure;

namespace CryptoSecure.Cli.Tests;

/// <summary>
/// verify-email and recover against a real server that requires verification and writes its mail
/// to a pickup directory (the code read from the .eml file's "Code: " line), and api-key rotate:
/// each new key printed once or saved, the old one refused afterwards, no key or code echoed.
/// </summary>
[Collection(CliToolGroup.Name)]
[UnsupportedOSPlatform("windows")]
public sealed partial class AccountCommandTests(CliTool tool)
{
    [Fact]
    public async Task Verify_email_with_the_mailed_code_makes_the_identity_public_after_a_wrong_code_and_a_resend()
    {
        var server = await tool.MailServerAsync();
        var environment = Environment(server, Path.Combine(tool.WorkDirectory, "config-" + Guid.NewGuid().ToString("N")));
        var email = $"verify-{Guid.NewGuid():N}@example.com";
        var seen = new List<string>();

        var registered = await tool.RunAsync(["register", email, "--save"], null, environment);
        registered.ExitCode.Should().Be(0, registered.ToString());
        (await tool.RunAsync(["keys", email], null, environment)).ExitCode.Should().Be(4, "an unverified identity is invisible to the public");
        var first = await tool.WaitForCodeAsync(email, seen);

        var wrong = await tool.RunAsync(["verify-email", email, "WRONGCODE1"], null, environment);
        wrong.ExitCode.Should().Be(5, wrong.ToString());
        var resent = await tool.RunAsync(["verify-email", "--resend", email], null, environment);
        resent.ExitCode.Should().Be(0, resent.ToString());
        resent.Text.Should().Contain("A new code was mailed to " + email);
        var second = await tool.WaitForCodeAsync(email, seen);
        second.Should().NotBe(first);

        // The code on stdin: it stays out of the process list.
        var verified = await tool.RunAsync(["verify-email", email], Encoding.UTF8.GetBytes(second + "\n"), environment);

        verified.ExitCode.Should().Be(0, verified.ToString());
        verified.Text.Should().Contain("Verified");
        (verified.Text + verified.Stderr).Should().NotContain(second);
        var keys = await tool.RunAsync(["keys", email, "--json"], null, environment);
        keys.ExitCode.Should().Be(0, keys.ToString());
        using var ring = JsonDocument.Parse(keys.Stdout);
        ring.RootElement.GetProperty("emailVerified").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Verify_email_usage_errors_exit_2()
    {
        var both = await tool.RunAsync(["verify-email", "--resend", "a@example.com", "CODE1234"], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = "csk_x" });
        var none = await tool.RunAsync(["verify-email", "a@example.com"], [], new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = "csk_x" });

        both.ExitCode.Should().Be(2, both.ToString());
        none.ExitCode.Should().Be(2, none.ToString());
        none.Stderr.Should().Contain("No code given");
    }

    [Fact]
    public async Task Recover_mails_a_code_whose_completion_saves_a_new_key_and_the_old_one_stops_working()
    {
        var server = await tool.MailServerAsync();
        var config = Path.Combine(tool.WorkDirectory, "config-" + Guid.NewGuid().ToString("N"));
        var environment = Environment(server, config);
        var email = $"recover-{Guid.NewGuid():N}@example.com";
        var seen = new List<string>();
        (await tool.RunAsync(["register", email, "--save"], null, environment)).ExitCode.Should().Be(0);
        (await tool.RunAsync(["verify-email", email, await tool.WaitForCodeAsync(email, seen)], null, environment)).ExitCode.Should().Be(0);
        var oldKey = SavedKey(config, email);

        var requested = await tool.RunAsync(["recover", email], null, Environment(server));
        requested.ExitCode.Should().Be(0, requested.ToString());
        requested.Text.Should().Contain("recovery code was mailed").And.Contain("--code");
        var code = await tool.WaitForCodeAsync(email, seen);
        var completed = await tool.RunAsync(["recover", email, "--code", "-", "--save"], Encoding.UTF8.GetBytes(code + "\n"), environment);

        completed.ExitCode.Should().Be(0, completed.ToString());
        var newKey = SavedKey(config, email);
        newKey.Should().NotBe(oldKey);
        (completed.Text + completed.Stderr).Should().NotContain("csk_").And.NotContain(code);
        (await tool.RunAsync(["audit", email], null, environment)).ExitCode.Should().Be(0, "the saved key is the new one");
        (await tool.RunAsync(["audit", email], null, Environment(server, apiKey: oldKey))).ExitCode.Should().Be(3, "the old key stopped working");

        // Without --save the new key is printed once, and works.
        (await tool.RunAsync(["recover", email], null, Environment(server))).ExitCode.Should().Be(0);
        var printed = await tool.RunAsync(["recover", email, "--code", await tool.WaitForCodeAsync(email, seen)], null, Environment(server));
        printed.ExitCode.Should().Be(0, printed.ToString());
        var shown = KeyPattern().Match(printed.Text).Value;
        shown.Should().NotBeEmpty();
        printed.Stderr.Should().NotContain(shown);
        (await tool.RunAsync(["audit", email], null, Environment(server, apiKey: shown))).ExitCode.Should().Be(0);
        (await tool.RunAsync(["audit", email], null, environment)).ExitCode.Should().Be(3, "recovery replaced the saved key too");
    }

    [Fact]
    public async Task Recover_with_a_wrong_code_is_refused_and_the_key_is_unchanged()
    {
        var server = await tool.MailServerAsync();
        var config = Path.Combine(tool.WorkDirectory, "config-" + Guid.NewGuid().ToString("N"));
        var environment = Environment(server, config);
        var email = $"wrong-{Guid.NewGuid():N}@example.com";
        var seen = new List<string>();
        (await tool.RunAsync(["register", email, "--save"], null, environment)).ExitCode.Should().Be(0);
        (await tool.RunAsync(["verify-email", email, await tool.WaitForCodeAsync(email, seen)], null, environment)).ExitCode.Should().Be(0);
        (await tool.RunAsync(["recover", email], null, Environment(server))).ExitCode.Should().Be(0);
        await tool.WaitForCodeAsync(email, seen);

        var refused = await tool.RunAsync(["recover", email, "--code", "WRONGCODE1", "--save"], null, environment);

        refused.ExitCode.Should().Be(5, refused.ToString());
        (await tool.RunAsync(["audit", email], null, environment)).ExitCode.Should().Be(0, "the saved key still works");
        (await tool.RunAsync(["recover", email, "--save"], null, environment)).ExitCode.Should().Be(2, "--save goes with --code");
    }

    [Fact]
    public async Task Api_key_rotate_save_replaces_the_saved_key_and_the_old_key_stops_working_and_no_key_is_logged()
    {
        var config = Path.Combine(tool.WorkDirectory, "config-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = config };
        var email = $"rotatekey-{Guid.NewGuid():N}@example.com";
        (await tool.RunAsync(["register", email, "--save"], null, environment)).ExitCode.Should().Be(0);
        var oldKey = SavedKey(config, email);

        var rotated = await tool.RunAsync(["api-key", "rotate", email, "--save"], null, environment);

        rotated.ExitCode.Should().Be(0, rotated.ToString());
        var newKey = SavedKey(config, email);
        newKey.Should().NotBe(oldKey);
        (rotated.Text + rotated.Stderr).Should().NotContain("csk_");
        rotated.Text.Should().Contain(Path.Combine(config, "cryptosecure", "credentials"));
        (await tool.RunAsync(["audit", email], null, environment)).ExitCode.Should().Be(0);
        (await tool.RunAsync(["audit", email], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = oldKey })).ExitCode.Should().Be(3);

        // With --json and no --save, the new key is in the answer, once.
        var shown = await tool.RunAsync(["api-key", "rotate", email, "--json"], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = newKey });
        shown.ExitCode.Should().Be(0, shown.ToString());
        using var answer = JsonDocument.Parse(shown.Stdout);
        var third = answer.RootElement.GetProperty("apiKey").GetString()!;
        third.Should().StartWith("csk_").And.NotBe(newKey);
        shown.Stderr.Should().NotContain(third);
        (await tool.RunAsync(["audit", email], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = third })).ExitCode.Should().Be(0);
        tool.ServerOutput.Should().NotContain(newKey).And.NotContain(third);
    }

    [Fact]
    public async Task Api_key_rotate_save_where_the_file_cannot_be_written_keeps_the_old_key()
    {
        var (email, key) = await tool.RegisterAsync();
        var config = Path.Combine(tool.WorkDirectory, "config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "cryptosecure"), "not a directory");

        var refused = await tool.RunAsync(["api-key", "rotate", email, "--save"], null, new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = config, ["CRYPTOSECURE_API_KEY"] = key });

        refused.ExitCode.Should().Be(5, refused.ToString());
        (await tool.RunAsync(["audit", email], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key })).ExitCode.Should().Be(0, "nothing was rotated, so the key in use still works");
    }

    private static string SavedKey(string config, string email) =>
        File.ReadAllLines(Path.Combine(config, "cryptosecure", "credentials")).Single(l => l.Contains(" " + email + " ", StringComparison.Ordinal)).Split(' ')[2];

    private static Dictionary<string, string?> Environment(Uri server, string? config = null, string? apiKey = null)
    {
        var environment = new Dictionary<string, string?> { ["CRYPTOSECURE_URL"] = server.AbsoluteUri };
        if (config is not null)
        {
            environment["XDG_CONFIG_HOME"] = config;
        }

        if (apiKey is not null)
        {
            environment["CRYPTOSECURE_API_KEY"] = apiKey;
        }

        return environment;
    }

    [GeneratedRegex("csk_[A-Za-z0-9_-]{43}")]
    private static partial Regex KeyPattern();
}
