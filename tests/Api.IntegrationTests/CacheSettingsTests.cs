using System.Net;
using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Infrastructure.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// The cache settings: checked when the real server starts (nothing clamped), and
/// <c>Cache:Enabled=false</c> leaves every read to the store with no feed reader running.
/// </summary>
public sealed class CacheSettingsTests
{
    [Theory]
    [InlineData("Cache__CoherenceSeconds", "0", "Cache:CoherenceSeconds")]
    [InlineData("Cache__MaxIdentities", "0", "Cache:MaxIdentities")]
    [InlineData("Cache__MaxKeyVersions", "-1", "Cache:MaxKeyVersions")]
    public async Task A_cache_setting_out_of_range_stops_the_server_naming_the_setting(string variable, string value, string named)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-cache-settings-").FullName;
        try
        {
            var exit = await ServerProcess.RunUntilExitAsync(
                "Production", dataDirectory, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), new Dictionary<string, string> { [variable] = value });

            exit.ShouldBeOneLineRefusal(named);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task By_default_the_key_store_is_cached_and_the_feed_reader_runs()
    {
        using var factory = new ApiFactory();
        using var api = factory.NewClient();
        var alice = await api.RegisterAsync();

        factory.Services.GetRequiredService<IKeyStore>().Should().BeOfType<CachingKeyStore>();
        factory.Services.GetServices<IHostedService>().Should().ContainSingle(s => s is IdentityCacheCoherence);
        // The node hears of its own registration through the feed too (and evicts once more): let
        // that pass before the read whose result should stay.
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await api.GetAsync($"/api/v1/users/{alice.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.OK);
        factory.Services.GetRequiredService<IdentityCache>().IdentityCount.Should().Be(1);
    }

    [Fact]
    public async Task With_the_cache_off_the_store_is_used_as_it_is_and_nothing_reads_the_feed()
    {
        using var factory = ApiFactory.With(new Dictionary<string, string?> { ["Cache:Enabled"] = "false" });
        using var api = factory.NewClient();
        var alice = await api.RegisterAsync();

        (await api.DecryptAsync(alice.Email, await api.EncryptAsync(alice.Email, "uncached"), alice.ApiKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        factory.Services.GetRequiredService<IKeyStore>().Should().NotBeOfType<CachingKeyStore>();
        factory.Services.GetServices<IHostedService>().Should().NotContain(s => s is IdentityCacheCoherence);
        factory.Services.GetService<IdentityCache>().Should().BeNull();
    }
}
