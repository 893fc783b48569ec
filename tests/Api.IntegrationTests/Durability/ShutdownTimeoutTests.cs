using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.IntegrationTests.Durability;

/// <summary>The grace period a stop gives requests in flight: the setting, 30 s by default.</summary>
public sealed class ShutdownTimeoutTests
{
    [Theory]
    [InlineData(null, 30)]
    [InlineData("7", 7)]
    public void The_hosts_shutdown_timeout_is_ShutdownTimeoutSeconds(string? setting, int seconds)
    {
        using var factory = ApiFactory.With(new Dictionary<string, string?> { ["ShutdownTimeoutSeconds"] = setting });

        factory.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout.Should().Be(TimeSpan.FromSeconds(seconds));
    }
}
