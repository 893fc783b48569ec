using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Client.Tests.Infrastructure;

/// <summary>
/// The real server for the client's tests: in memory (or on a loopback Kestrel port, for the
/// browser), on its own temporary data directory, RSA-2048 keys (fast), rate limiting off, an admin key.
/// </summary>
public class CryptoSecureServer : WebApplicationFactory<Program>
{
    private readonly bool _kestrel;

    public CryptoSecureServer()
        : this(kestrel: false)
    {
    }

    private CryptoSecureServer(bool kestrel)
    {
        _kestrel = kestrel;
        if (kestrel)
        {
            UseKestrel(0);
        }
    }

    /// <summary>A server listening on a free loopback port; see <see cref="Address"/>.</summary>
    public static CryptoSecureServer OnKestrel()
    {
        var server = new CryptoSecureServer(kestrel: true);
        server.StartServer();
        return server;
    }

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("cryptosecure-client-").FullName;

    public string AdminKey { get; } = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The Kestrel address (http://127.0.0.1:port); only for <see cref="OnKestrel"/>.</summary>
    public Uri Address =>
        _kestrel
            ? new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First())
            : throw new InvalidOperationException("In-memory server: use CreateClient().");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Security:MasterKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        builder.UseSetting("Security:AdminApiKeys:0", AdminKey);
        builder.UseSetting("Keys:DefaultKeySize", "2048");
        builder.UseSetting("Keys:Pool:2048", "4");
        builder.UseSetting("Keys:Pool:3072", "0");
        builder.UseSetting("Keys:Pool:4096", "0");
        builder.UseSetting("RateLimiting:Enabled", "false");
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
