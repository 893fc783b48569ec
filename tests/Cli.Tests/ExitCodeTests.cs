using CryptoSecure.Cli.Tests.Infrastructure;

namespace CryptoSecure.Cli.Tests;

/// <summary>One exit code per class of failure (docs/cli.md, "Exit status"), each with a message that says what to do.</summary>
[Collection(CliToolGroup.Name)]
public sealed class ExitCodeTests(CliTool tool)
{
    [Theory]
    [InlineData("encrypt")]
    [InlineData("encrypt", "a@example.com", "--no-such-option")]
    [InlineData("no-such-command")]
    [InlineData("config", "a@example.com")]
    [InlineData("export", "a@example.com", "--use", "both")]
    public async Task Usage_errors_exit_2_on_stderr_only(params string[] args)
    {
        var result = await tool.RunAsync(args);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stdout.Should().BeEmpty("a usage error must not leave a help page where the result was redirected");
        result.Stderr.Should().Contain("--help");
    }

    [Fact]
    public async Task An_owner_operation_without_any_key_exits_3_and_says_how_to_get_one()
    {
        var (email, _) = await tool.RegisterAsync();

        var result = await tool.RunAsync(["rotate", email]);

        result.ExitCode.Should().Be(3, result.ToString());
        result.Stderr.Should().Contain("CRYPTOSECURE_API_KEY").And.Contain("register").And.Contain("--save");
    }

    [Fact]
    public async Task An_unknown_key_exits_3_and_another_identitys_key_exits_3_with_the_servers_title()
    {
        var (email, _) = await tool.RegisterAsync();
        var (_, otherKey) = await tool.RegisterAsync();

        var unknown = await tool.RunAsync(["audit", email], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = "csk_" + new string('A', 43) });
        var forbidden = await tool.RunAsync(["audit", email], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = otherKey });

        unknown.ExitCode.Should().Be(3, unknown.ToString());
        unknown.Stderr.Should().Contain("HTTP 401");
        forbidden.ExitCode.Should().Be(3, forbidden.ToString());
        forbidden.Stderr.Should().Contain("HTTP 403").And.Contain("owner");
    }

    [Fact]
    public async Task An_unknown_identity_exits_4()
    {
        var result = await tool.RunAsync("keys", $"nobody-{Guid.NewGuid():N}@example.com");

        result.ExitCode.Should().Be(4, result.ToString());
        result.Stderr.Should().Contain("HTTP 404").And.Contain("register");
    }

    [Fact]
    public async Task Invalid_input_exits_5_whether_the_server_or_the_tool_finds_it()
    {
        var (email, key) = await tool.RegisterAsync();

        var malformed = await tool.RunAsync(["decrypt", email], "not a ciphertext"u8.ToArray(), new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key });
        var badAddress = await tool.RunAsync("register", "not-an-address");
        var missingFile = await tool.RunAsync("encrypt", email, Path.Combine(tool.WorkDirectory, "no-such-file"));

        malformed.ExitCode.Should().Be(5, malformed.ToString());
        malformed.Stderr.Should().Contain("HTTP 400");
        badAddress.ExitCode.Should().Be(5, badAddress.ToString());
        badAddress.Stderr.Should().Contain("email", "the field error is in the message");
        missingFile.ExitCode.Should().Be(5, missingFile.ToString());
        missingFile.Stderr.Should().Contain("no such file");
    }

    [Fact]
    public async Task A_conflict_exits_6()
    {
        var (email, _) = await tool.RegisterAsync();

        var again = await tool.RunAsync("register", email);

        again.ExitCode.Should().Be(6, again.ToString());
        again.Stderr.Should().Contain("HTTP 409");
    }

    [Fact]
    public async Task An_unreachable_server_exits_7_and_names_the_settings()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await tool.RunAsync(["keys", "a@example.com"], null, new Dictionary<string, string?> { ["CRYPTOSECURE_URL"] = $"http://127.0.0.1:{port}" });

        result.ExitCode.Should().Be(7, result.ToString());
        result.Stderr.Should().Contain("CRYPTOSECURE_URL").And.Contain("--server");
        result.Stderr.Should().NotMatchRegex(@"(?m)^\s*at \S", "no stack trace");
    }

    [Theory]
    [InlineData("decrypt")]
    [InlineData("rewrap")]
    public async Task A_non_envelope_input_above_the_request_cap_stops_before_filling_memory(string command)
    {
        var (email, key) = await tool.RegisterAsync();
        var path = Path.Combine(tool.WorkDirectory, "huge-" + Guid.NewGuid().ToString("N"));
        await using (var file = File.Create(path))
        {
            // Sparse: 257 MiB of zeros that take no disk.
            file.SetLength(Invocation.MaxRequestInputBytes + (1024L * 1024));
        }

        try
        {
            var result = await tool.RunAsync([command, email, path], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key });

            result.ExitCode.Should().Be(5, result.ToString());
            result.Stderr.Should().Contain("larger than one request can carry").And.Contain("256 MiB");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
