using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The real server in memory, on its own temporary data directory and SQLite file, with RSA-2048
/// keys (fast), mail written to a pickup directory inside it, rate limiting off unless a test turns it on,
/// email verification off unless a test turns it on, Swagger UI on (the "Testing" environment
/// would hide it), no practical bound on how long a key generation may wait, an admin key, and
/// every log line captured.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public ApiFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    protected ApiFactory(IDictionary<string, string?> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        DataDirectory = Directory.CreateTempSubdirectory("cryptosecure-api-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = DataDirectory,
            ["Security:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Security:AdminApiKeys:0"] = AdminKey,
            ["Keys:DefaultKeySize"] = "2048",
            ["Keys:Pool:2048"] = "4",
            ["Keys:Pool:3072"] = "0",
            ["Keys:Pool:4096"] = "0",
            // Real RSA generation on a shared machine: a test must not get 503 because keys came slowly.
            // The wait bound itself is tested with a fake clock (KeyGenerationFairnessTests).
            ["Keys:Generation:MaxWaitSeconds"] = "300",
            ["RateLimiting:Enabled"] = "false",
            ["Api:SwaggerUi"] = "true",
            // Mail is written as .eml files (outside Development nothing else would send it).
            ["Email:PickupDirectory"] = Path.Combine(DataDirectory, "mail"),

            // Tests that are not about email ownership use identities at once; the verification
            // tests (EmailOwnership*) set Required and read the codes from a recording mailer.
            ["Registration:EmailVerification"] = "Off",
        };
        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    /// <summary>
    /// A started server on a free loopback port (real Kestrel, for what the in-memory server does not
    /// do: body size limits, browsers); CreateClient() talks to it over TCP.
    /// </summary>
    public static ApiFactory OnKestrel(IDictionary<string, string?>? overrides = null)
    {
        var factory = new ApiFactory(overrides ?? new Dictionary<string, string?>());
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    /// <summary>A server with some settings changed (a null value removes the setting).</summary>
    public static ApiFactory With(IDictionary<string, string?> overrides, Action<IServiceCollection>? testServices = null, string environment = "Testing") =>
        new(overrides) { Environment = environment, TestServices = testServices };

    public string DataDirectory { get; }

    public string AdminKey { get; } = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public string DatabasePath => Path.Combine(DataDirectory, "cryptosecure.db");

    public string Environment { get; init; } = "Testing";

    public LogCapture Logs { get; } = new();

    /// <summary>Replaces or adds services after the server's own registrations (a fixed clock, a test-only middleware).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public string? Setting(string key) => _settings.GetValueOrDefault(key);

    public ApiClient NewClient() => new(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings.Where(s => s.Value is not null))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        if (TestServices is not null)
        {
            builder.ConfigureTestServices(TestServices);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a pooled connection; the temp directory is cleaned by the OS.
            }
        }
    }
}
