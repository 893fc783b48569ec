using System.Diagnostics;
using CryptoSecure.Client.Tests.Infrastructure;

namespace CryptoSecure.Client.Tests;

/// <summary>
/// Swagger UI, rendered by a real browser: headless Chromium loads /swagger/index.html from the
/// server on a loopback port and the dumped DOM must hold the rendered operations. CI installs
/// Debian's chromium; without it the test is skipped, saying so.
/// </summary>
public sealed class SwaggerUiBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Swagger_UI_renders_every_operation_in_headless_Chromium()
    {
        Skip.IfNot(File.Exists(Chromium), "Chromium is not installed (apt-get install chromium): the Swagger UI browser check did not run");
        using var server = CryptoSecureServer.OnKestrel();
        var page = new Uri(Loopback(server.Address), "/swagger/index.html");

        var dom = await DumpDomAsync(page);

        dom.Should().Contain("swagger-ui");
        dom.Should().Contain("opblock", "Swagger UI renders each operation as an .opblock");
        foreach (var path in new[]
        {
            "/api/v1/users", "/api/v1/users/{email}", "/api/v1/users/{email}/keys", "/api/v1/users/{email}/keys/private",
            "/api/v1/users/{email}/keys/rotate", "/api/v1/users/{email}/keys/config", "/api/v1/users/{email}/encrypt",
            "/api/v1/users/{email}/decrypt", "/api/v1/users/{email}/rewrap", "/api/v1/users/{email}/audit",
            "/takeuser", "/get_keys/{email}", "/encrypt/{email}", "/decrypt/{email}",
        })
        {
            dom.Should().Contain($"data-path=\"{path}\"", "the operation {0} is rendered", path);
        }

        dom.Should().Contain("Prototype (compatibility)");
        dom.Should().Contain("opblock-deprecated", "the prototype's operations are shown as deprecated");
    }

    // Kestrel may report "localhost" or a wildcard; the browser goes to the loopback address itself.
    private static Uri Loopback(Uri address) => new UriBuilder(address) { Host = "127.0.0.1" }.Uri;

    private static async Task<string> DumpDomAsync(Uri page)
    {
        var profile = Directory.CreateTempSubdirectory("cryptosecure-chromium-");
        try
        {
            var start = new ProcessStartInfo(Chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--user-data-dir={profile.FullName}", "--virtual-time-budget=15000", "--dump-dom", page.AbsoluteUri,
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var browser = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
            var output = browser.StandardOutput.ReadToEndAsync();
            var errors = browser.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(BrowserTimeout);
            try
            {
                await browser.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                browser.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium did not finish within {BrowserTimeout.TotalSeconds} s. Its errors: {await errors}");
            }

            var dom = await output;
            dom.Should().NotBeNullOrWhiteSpace($"Chromium printed no DOM (exit code {browser.ExitCode}). Its errors: {await errors}");
            return dom;
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be writing its profile; the temp directory is cleaned by the OS.
            }
        }
    }
}
