using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Client.Tests.Infrastructure;

/// <summary>
/// The integration tests' server (<see cref="ApiFactory"/>: temporary store, RSA-2048 keys, rate
/// limiting off, an admin key), in memory or, for the browser, on a loopback Kestrel port.
/// </summary>
public class CryptoSecureServer : ApiFactory
{
    private readonly bool _kestrel;

    public CryptoSecureServer()
        : this(kestrel: false)
    {
    }

    private CryptoSecureServer(bool kestrel)
        : base(new Dictionary<string, string?>())
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

    /// <summary>The Kestrel address (http://127.0.0.1:port); only for <see cref="OnKestrel"/>.</summary>
    public Uri Address =>
        _kestrel
            ? new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First())
            : throw new InvalidOperationException("In-memory server: use CreateClient().");
}
