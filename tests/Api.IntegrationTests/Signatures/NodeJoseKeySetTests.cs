using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests.Signatures;

/// <summary>
/// The JWK Set as ARCHITECTURE.md promises it: panva/jose's <c>createRemoteJWKSet</c> fetches it
/// from the real server over HTTP and verifies our JWS "as is", and its key encrypts a JWE we
/// decrypt. Needs node and npm (jose is installed into this run's own scratch directory); skips,
/// saying so, without them.
/// </summary>
public sealed class NodeJoseKeySetTests
{
    private const string Script = """
        import { createRemoteJWKSet, compactVerify, importJWK, CompactEncrypt } from 'jose';
        const url = new URL(process.env.JWKS_URL);
        const keySet = createRemoteJWKSet(url);
        const { payload, protectedHeader } = await compactVerify(process.env.JWS_PS256, keySet);
        let rs256;
        try { await compactVerify(process.env.JWS_RS256, keySet); rs256 = 'accepted'; } catch (e) { rs256 = 'rejected'; }
        let tampered;
        try { await compactVerify(process.env.JWS_TAMPERED, keySet); tampered = 'accepted'; } catch (e) { tampered = 'rejected'; }
        const set = await (await fetch(url)).json();
        const enc = set.keys.find(k => k.use === 'enc');
        const jwe = await new CompactEncrypt(new TextEncoder().encode('from panva/jose'))
          .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: enc.kid })
          .encrypt(await importJWK(enc, 'RSA-OAEP-256'));
        process.stdout.write(JSON.stringify({ text: new TextDecoder().decode(payload), kid: protectedHeader.kid, rs256, tampered, jwe }));
        """;

    [SkippableFact]
    public async Task Panva_joses_remote_key_set_verifies_our_PS256_JWS_and_its_encryption_key_makes_a_JWE_we_decrypt()
    {
        var jose = await NodeJose.Installed.Value;
        Skip.If(jose.Directory is null, jose.Reason);
        using var factory = ApiFactory.OnKestrel();
        using var api = new ApiClient(factory.CreateClient());
        var owner = await api.RegisterAsync();
        var ps256 = (string)(await api.SignAsync(owner, new { payload = "verified by node" }))["signature"]!;
        var rs256 = (string)(await api.SignAsync(owner, new { payload = "verified by node", algorithm = "RS256" }))["signature"]!;
        var parts = ps256.Split('.');
        var tampered = $"{parts[0]}.{Jose.Base64Url.Encode("forged"u8.ToArray())}.{parts[2]}";

        var (exitCode, output, error) = await NodeJose.RunAsync(jose.Directory!, Script, new Dictionary<string, string>
        {
            ["JWKS_URL"] = new Uri(api.Http.BaseAddress!, $"/api/v1/users/{owner.Email}/jwks").ToString(),
            ["JWS_PS256"] = ps256,
            ["JWS_RS256"] = rs256,
            ["JWS_TAMPERED"] = tampered,
        });

        exitCode.Should().Be(0, error);
        var result = JsonNode.Parse(output)!.AsObject();
        ((string)result["text"]!).Should().Be("verified by node");
        ((string)result["kid"]!).Should().EndWith("-sig-v1");
        ((string)result["tampered"]!).Should().Be("rejected");
        ((string)result["rs256"]!).Should().Be("rejected", "the set says alg PS256 on signing keys, so a library that honours alg uses them for PS256 only (ADR-015): RS256 tokens are checked through verify");
        (await api.VerifyAsync(owner.Email, new { signature = rs256 })).Should().Be((true, 1));
        var decrypted = await api.DecryptAsync(owner.Email, (string)result["jwe"]!, owner.ApiKey);
        decrypted.StatusCode.Should().Be(HttpStatusCode.OK);
        ((string)(await ApiClient.JsonAsync(decrypted))["plaintext"]!).Should().Be("from panva/jose");
    }
}

/// <summary>node with panva/jose installed by npm into a scratch directory of this test run, once.</summary>
internal static class NodeJose
{
    public static readonly Lazy<Task<(string? Directory, string Reason)>> Installed = new(InstallAsync);

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string directory, string script, IDictionary<string, string> environment)
    {
        var path = Path.Combine(directory, "check.mjs");
        await File.WriteAllTextAsync(path, script);
        return await RunProcessAsync("node", [path], directory, environment);
    }

    private static async Task<(string? Directory, string Reason)> InstallAsync()
    {
        if ((await RunProcessAsync("node", ["--version"], null, new Dictionary<string, string>())).ExitCode != 0)
        {
            return (null, "node is not installed: the panva/jose JWK Set check did not run.");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("cryptosecure-jose-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "package.json"), """{"name":"jwks-check","private":true,"type":"module"}""");
        var (exitCode, _, error) = await RunProcessAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "jose@6"], directory, new Dictionary<string, string>());
        return exitCode == 0
            ? (directory, string.Empty)
            : (null, $"npm could not install panva/jose (no npm, or no registry reachable): the JWK Set check with it did not run. {error.Trim()}");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(string program, string[] arguments, string? directory, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory ?? string.Empty };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = await process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, output, await error);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return (-1, string.Empty, $"{program}: {ex.Message}");
        }
    }
}
