using System.Runtime.Versioning;
using System.Text;
using CryptoSecure.Cli.Tests.Infrastructure;

namespace CryptoSecure.Cli.Tests;

/// <summary>The API key: saved 0600 by register --save, read from the environment or the file, never printed.</summary>
[Collection(CliToolGroup.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class SecretTests(CliTool tool)
{
    [Fact]
    public async Task Register_save_writes_a_0600_credentials_file_in_a_0700_directory_and_never_prints_the_key()
    {
        var config = Path.Combine(tool.WorkDirectory, "config-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = config };
        var email = $"saved-{Guid.NewGuid():N}@example.com";

        var registered = await tool.RunAsync(["register", email, "--save"], null, environment);

        registered.ExitCode.Should().Be(0, registered.ToString());
        var file = Path.Combine(config, "cryptosecure", "credentials");
        File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.GetDirectoryName(file)!).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var line = File.ReadAllLines(file).Single(l => !l.StartsWith('#'));
        var parts = line.Split(' ');
        parts[0].Should().Be(tool.Server.AbsoluteUri.TrimEnd('/'));
        parts[1].Should().Be(email);
        var key = parts[2];
        key.Should().StartWith("csk_");
        (registered.Text + registered.Stderr).Should().NotContain(key).And.Contain(file);

        // Later commands find it there, and say nothing of it, whatever happens.
        var data = "from the file"u8.ToArray();
        var encrypted = await tool.RunAsync(["encrypt", email], data, environment);
        var outputs = new List<CliResult>
        {
            await tool.RunAsync(["decrypt", email], encrypted.Stdout, environment),
            await tool.RunAsync(["audit", email], null, environment),
            await tool.RunAsync(["decrypt", email], "broken"u8.ToArray(), environment),
            await tool.RunAsync(["sign", email, "--json"], data, environment),
            await tool.RunAsync(["rotate", email, "--key-size", "1000"], null, environment),
            await tool.RunAsync(["decrypt", email, "--server", "http://127.0.0.1:1"], encrypted.Stdout, environment),
        };
        outputs[0].ExitCode.Should().Be(0, outputs[0].ToString());
        outputs[0].Stdout.Should().Equal(data);
        outputs[1].ExitCode.Should().Be(0, outputs[1].ToString());
        foreach (var output in outputs)
        {
            (output.Text + output.Stderr).Should().NotContain(key).And.NotContain(key[4..20]);
        }
    }

    [Fact]
    public async Task A_key_from_the_environment_never_reaches_stdout_or_stderr_even_when_refused()
    {
        var (email, key) = await tool.RegisterAsync();
        var (other, _) = await tool.RegisterAsync();
        var environment = new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key };

        var results = new[]
        {
            await tool.RunAsync(["audit", email, "--json"], null, environment),
            await tool.RunAsync(["audit", other], null, environment),
            await tool.RunAsync(["export", other], null, environment),
            await tool.RunAsync(["decrypt", email], "eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.a.b.c.d"u8.ToArray(), environment),
            await tool.RunAsync(["delete", $"gone-{Guid.NewGuid():N}@example.com", "--yes"], null, environment),
        };

        results[0].ExitCode.Should().Be(0, results[0].ToString());
        results[1].ExitCode.Should().Be(3, results[1].ToString());
        foreach (var result in results)
        {
            (result.Text + result.Stderr).Should().NotContain(key).And.NotContain(key[4..20]);
        }
    }

    [Fact]
    public async Task Register_without_save_shows_the_new_key_once_because_there_is_nowhere_else_to_find_it()
    {
        var email = $"shown-{Guid.NewGuid():N}@example.com";

        var registered = await tool.RunAsync("register", email);

        registered.ExitCode.Should().Be(0, registered.ToString());
        registered.Text.Should().MatchRegex("API key: +csk_[A-Za-z0-9_-]{43}");
        registered.Text.Should().Contain("--save");
    }

    [Fact]
    public async Task A_wildcard_entry_in_the_credentials_file_serves_an_admin_key_for_any_identity()
    {
        var (email, _) = await tool.RegisterAsync();
        var config = Path.Combine(tool.WorkDirectory, "config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(config, "cryptosecure"));
        await File.WriteAllTextAsync(Path.Combine(config, "cryptosecure", "credentials"), $"# admin\n{tool.Server.AbsoluteUri} * {tool.AdminKey}\n", Encoding.UTF8);

        var audit = await tool.RunAsync(["audit", email], null, new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = config });

        audit.ExitCode.Should().Be(0, audit.ToString());
        (audit.Text + audit.Stderr).Should().NotContain(tool.AdminKey);
    }

    [Fact]
    public async Task The_api_key_option_works_and_is_not_echoed()
    {
        var (email, key) = await tool.RegisterAsync();

        var audit = await tool.RunAsync("audit", email, "--api-key", key);

        audit.ExitCode.Should().Be(0, audit.ToString());
        (audit.Text + audit.Stderr).Should().NotContain(key);
    }

    [Theory]
    [InlineData("--apikey", null)]
    [InlineData("--api-kye", null)]
    [InlineData("--api-kye=", "=")]
    [InlineData("--apikey:", ":")]
    [InlineData("-k", null)]
    public async Task A_mistyped_api_key_option_is_a_usage_error_that_never_echoes_the_key(string option, string? attached)
    {
        var (email, key) = await tool.RegisterAsync();
        string[] args = attached is null ? ["audit", email, option, key] : ["audit", email, option + key];

        var results = new[]
        {
            await tool.RunAsync(args),
            await tool.RunAsync(["decrypt", email, .. args[2..]]),
            await tool.RunAsync(["audit", email, "stray", key]),
            await tool.RunAsync(["rotate", email, "--key-size", key]),
        };

        foreach (var result in results)
        {
            result.ExitCode.Should().Be(2, result.ToString());
            (result.Text + result.Stderr).Should().NotContain(key).And.NotContain(key[4..20]);
        }

        results[0].Stderr.Should().Contain(option.TrimEnd('=', ':'), "the mistyped option's name is shown, to fix it");
        results[2].Stderr.Should().Contain("stray");
    }

    [Fact]
    public async Task Register_save_where_the_credentials_file_cannot_be_written_registers_nothing()
    {
        var config = Path.Combine(tool.WorkDirectory, "config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "cryptosecure"), "a file where the directory should be");
        var email = $"unsaved-{Guid.NewGuid():N}@example.com";

        var registered = await tool.RunAsync(["register", email, "--save"], null, new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = config });

        registered.ExitCode.Should().Be(5, registered.ToString());
        registered.Stderr.Should().Contain(Path.Combine(config, "cryptosecure", "credentials")).And.Contain("--save");
        registered.Text.Should().NotContain("csk_");
        var keys = await tool.RunAsync("keys", email);
        keys.ExitCode.Should().Be(4, "nothing was registered, so no key was lost: " + keys);
    }

    [SkippableFact]
    public async Task Register_save_on_a_full_disk_prints_the_key_with_a_warning_instead_of_losing_it()
    {
        Skip.IfNot(Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root", "mounting a small tmpfs (a real full disk) needs root");
        var mount = Path.Combine(tool.WorkDirectory, "full-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mount);
        var mounted = await RunAsync("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mount);
        Skip.If(mounted != 0, "mount -t tmpfs is not permitted here (no CAP_SYS_ADMIN)");
        try
        {
            Directory.CreateDirectory(Path.Combine(mount, "cryptosecure"));
            await using (var filler = new FileStream(Path.Combine(mount, "filler"), FileMode.CreateNew))
            {
                var block = new byte[4096];
                try
                {
                    while (true)
                    {
                        filler.Write(block);
                        filler.Flush();
                    }
                }
                catch (IOException)
                {
                    // Full.
                }
            }

            var email = $"full-{Guid.NewGuid():N}@example.com";
            var registered = await tool.RunAsync(["register", email, "--save"], null, new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = mount });

            registered.ExitCode.Should().Be(0, registered.ToString());
            registered.Stderr.Should().Contain("warning").And.Contain("could not be saved");
            var key = System.Text.RegularExpressions.Regex.Match(registered.Text, "csk_[A-Za-z0-9_-]{43}").Value;
            key.Should().NotBeEmpty("the key is printed when it cannot be saved: " + registered);
            registered.Stderr.Should().NotContain(key);
            Directory.GetFiles(Path.Combine(mount, "cryptosecure")).Should().NotContain(f => Path.GetFileName(f).Contains(".tmp-"), "the half-written file is removed");
            var audit = await tool.RunAsync(["audit", email], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key });
            audit.ExitCode.Should().Be(0, "the printed key is the identity's: " + audit);
        }
        finally
        {
            await RunAsync("umount", mount);
        }
    }

    private static async Task<int> RunAsync(string program, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    [Fact]
    public async Task Register_save_with_json_leaves_the_key_out_of_the_answer()
    {
        var environment = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = Path.Combine(tool.WorkDirectory, "config-" + Guid.NewGuid().ToString("N")) };

        var registered = await tool.RunAsync(["register", $"json-{Guid.NewGuid():N}@example.com", "--save", "--json"], null, environment);

        registered.ExitCode.Should().Be(0, registered.ToString());
        using var answer = System.Text.Json.JsonDocument.Parse(registered.Stdout);
        answer.RootElement.TryGetProperty("apiKey", out _).Should().BeFalse();
        registered.Text.Should().NotContain("csk_");
    }
}
