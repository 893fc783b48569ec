using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Cli.Tests.Infrastructure;

namespace CryptoSecure.Cli.Tests;

/// <summary>Data in from stdin or a file, results out to stdout or --out, byte for byte.</summary>
[Collection(CliToolGroup.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class RoundTripTests(CliTool tool)
{
    [Fact]
    public async Task Text_piped_through_encrypt_and_decrypt_comes_back_exactly()
    {
        var (email, key) = await tool.RegisterAsync();
        var text = Encoding.UTF8.GetBytes("Grüße, world\r\nsecond line without a final newline");

        var encrypted = await tool.RunAsync(["encrypt", email], text);
        encrypted.ExitCode.Should().Be(0, encrypted.ToString());
        encrypted.Text.Should().StartWith("eyJ", "a JWE compact serialization");
        var decrypted = await tool.RunAsync(["decrypt", email], encrypted.Stdout, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key });

        decrypted.ExitCode.Should().Be(0, decrypted.ToString());
        decrypted.Stdout.Should().Equal(text);
    }

    [Fact]
    public async Task Binary_data_piped_through_encrypt_and_decrypt_comes_back_exactly()
    {
        var (email, key) = await tool.RegisterAsync();
        // Every byte value, NULs, CR/LF pairs and invalid UTF-8 (a PDF has all of these).
        var data = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(RandomNumberGenerator.GetBytes(20_000)).Concat("\r\n\0\xff"u8.ToArray()).ToArray();

        var encrypted = await tool.RunAsync(["encrypt", email], data);
        var decrypted = await tool.RunAsync(["decrypt", email], encrypted.Stdout, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key });

        decrypted.ExitCode.Should().Be(0, decrypted.ToString());
        decrypted.Stdout.Should().Equal(data);
    }

    [Fact]
    public async Task Files_as_arguments_and_out_files_round_trip_and_out_files_are_private()
    {
        var (email, key) = await tool.RegisterAsync();
        var data = RandomNumberGenerator.GetBytes(10_000);
        var plain = Path.Combine(tool.WorkDirectory, Guid.NewGuid() + ".bin");
        var sealedFile = plain + ".jwe";
        var opened = plain + ".out";
        await File.WriteAllBytesAsync(plain, data);

        (await tool.RunAsync("encrypt", email, plain, "--out", sealedFile)).ExitCode.Should().Be(0);
        var decrypted = await tool.RunAsync(["decrypt", email, sealedFile, "-o", opened], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key });

        decrypted.ExitCode.Should().Be(0, decrypted.ToString());
        decrypted.Stdout.Should().BeEmpty("the result went to the file");
        (await File.ReadAllBytesAsync(opened)).Should().Equal(data);
        File.GetUnixFileMode(opened).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "a plaintext or a private key is written for its owner only");
    }

    [Fact]
    public async Task A_file_larger_than_the_servers_limit_needs_envelope_mode_and_then_round_trips_through_pipes()
    {
        var (email, key) = await tool.RegisterAsync();
        var data = RandomNumberGenerator.GetBytes((3 * CliTool.MaxPlaintextBytes) + 12_345);

        var refused = await tool.RunAsync(["encrypt", email], data);
        refused.ExitCode.Should().Be(5, refused.ToString());
        refused.Stderr.Should().Contain("--envelope", "the message says what to do");

        var encrypted = await tool.RunAsync(["encrypt", email, "--envelope"], data);
        encrypted.ExitCode.Should().Be(0, encrypted.ToString());
        encrypted.Stdout.AsSpan(0, 8).ToArray().Should().Equal("CSENV\0\r\n"u8.ToArray());
        encrypted.Stdout.Length.Should().BeGreaterThan(data.Length);
        encrypted.Stderr.Should().BeEmpty("no progress bar when stderr is not a terminal");

        var decrypted = await tool.RunAsync(["decrypt", email], encrypted.Stdout, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key });
        decrypted.ExitCode.Should().Be(0, decrypted.ToString());
        decrypted.Stdout.Should().Equal(data);
    }

    [Fact]
    public async Task A_damaged_envelope_file_fails_with_invalid_input_and_leaves_no_out_file()
    {
        var (email, key) = await tool.RegisterAsync();
        var data = RandomNumberGenerator.GetBytes(200_000);
        var encrypted = await tool.RunAsync(["encrypt", email, "--envelope", "--chunk-size", "4096"], data);
        var tampered = encrypted.Stdout.ToArray();
        tampered[^5000] ^= 0x01;
        var target = Path.Combine(tool.WorkDirectory, Guid.NewGuid() + ".out");

        var decrypted = await tool.RunAsync(["decrypt", email, "--out", target], tampered, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key });

        decrypted.ExitCode.Should().Be(5, decrypted.ToString());
        decrypted.Stderr.Should().Contain("damaged");
        File.Exists(target).Should().BeFalse("a failed decryption never leaves a partial plaintext under the name asked for");
        Directory.GetFiles(tool.WorkDirectory, "." + Path.GetFileName(target) + "*").Should().BeEmpty("nor its temporary file");

        // 200 000 bytes = 48 chunks of 4096 and a last one of 3392: drop exactly that last chunk.
        var truncated = await tool.RunAsync(["decrypt", email], encrypted.Stdout[..^(3392 + 16)], new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key });
        truncated.ExitCode.Should().Be(5, "a file cut at a chunk boundary is detected: " + truncated);
    }

    [Fact]
    public async Task Rewrap_of_an_envelope_file_moves_its_data_key_to_the_latest_version()
    {
        var (email, key) = await tool.RegisterAsync();
        var owner = new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key };
        var data = RandomNumberGenerator.GetBytes(100_000);
        var encrypted = await tool.RunAsync(["encrypt", email, "--envelope"], data);
        (await tool.RunAsync(["rotate", email], null, owner)).ExitCode.Should().Be(0);
        (await tool.RunAsync(["config", email, "--min-decryption-version", "2"], null, owner)).ExitCode.Should().Be(0);

        var old = await tool.RunAsync(["decrypt", email], encrypted.Stdout, owner);
        old.ExitCode.Should().Be(5, "version 1 no longer decrypts: " + old);

        (await tool.RunAsync(["config", email, "--min-decryption-version", "1"], null, owner)).ExitCode.Should().Be(0);
        var rewrapped = await tool.RunAsync(["rewrap", email], encrypted.Stdout, owner);
        rewrapped.ExitCode.Should().Be(0, rewrapped.ToString());
        (await tool.RunAsync(["config", email, "--min-decryption-version", "2"], null, owner)).ExitCode.Should().Be(0);
        var decrypted = await tool.RunAsync(["decrypt", email], rewrapped.Stdout, owner);

        decrypted.ExitCode.Should().Be(0, decrypted.ToString());
        decrypted.Stdout.Should().Equal(data);
    }

    [Fact]
    public async Task Sign_and_verify_round_trip_for_jws_and_raw_digest_signatures()
    {
        var (email, key) = await tool.RegisterAsync();
        var owner = new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key };
        var data = RandomNumberGenerator.GetBytes(5_000);

        var jws = await tool.RunAsync(["sign", email], data, owner);
        jws.ExitCode.Should().Be(0, jws.ToString());
        (await tool.RunAsync(["verify", email], jws.Stdout)).ExitCode.Should().Be(0);

        var raw = await tool.RunAsync(["sign", email, "--format", "raw", "--digest"], data, owner);
        raw.ExitCode.Should().Be(0, raw.ToString());
        var signature = raw.Text.Trim();
        (await tool.RunAsync(["verify", email, "--signature", signature], data)).ExitCode.Should().Be(0);
        (await tool.RunAsync(["verify", email, "--signature", signature, "--digest"], data)).ExitCode.Should().Be(0);

        var other = await tool.RunAsync(["verify", email, "--signature", signature], [1, 2, 3]);
        other.ExitCode.Should().Be(1, "a signature that does not verify is a negative answer, not an error: " + other);
        other.Text.Should().Contain("NOT valid");
    }

    [Fact]
    public async Task Json_output_is_the_servers_answer_for_scripts()
    {
        var (email, _) = await tool.RegisterAsync();

        var keys = await tool.RunAsync("keys", email, "--json");
        var batch = await tool.RunAsync(["batch", "encrypt", email, "--json"], """{"items":[{"plaintext":"a"},{"plaintext":"b","format":"rsa-oaep"}]}"""u8.ToArray());

        keys.ExitCode.Should().Be(0, keys.ToString());
        using var ring = System.Text.Json.JsonDocument.Parse(keys.Stdout);
        ring.RootElement.GetProperty("latestVersion").GetInt32().Should().Be(1);
        ring.RootElement.GetProperty("keys").GetArrayLength().Should().Be(1);
        batch.ExitCode.Should().Be(0, batch.ToString());
        using var items = System.Text.Json.JsonDocument.Parse(batch.Stdout);
        items.RootElement.GetProperty("items")[1].GetProperty("format").GetString().Should().Be("rsa-oaep");
    }

    [SkippableFact]
    public async Task Envelope_mode_draws_a_progress_bar_when_stderr_is_a_terminal()
    {
        var (email, _) = await tool.RegisterAsync();
        var plain = Path.Combine(tool.WorkDirectory, Guid.NewGuid() + ".bin");
        await File.WriteAllBytesAsync(plain, RandomNumberGenerator.GetBytes(3 * 1024 * 1024));

        var run = await tool.RunInTerminalAsync("encrypt", email, "--envelope", plain, "--out", plain + ".cse");

        Skip.If(run is null, "util-linux's script (for a pseudo-terminal) is not installed here");
        run.Value.ExitCode.Should().Be(0, run.Value.Terminal);
        run.Value.Terminal.Should().Contain("encrypting [").And.Contain("100%").And.Contain("3.0 MiB");
    }
}
