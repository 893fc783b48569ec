using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>
/// <see cref="VerificationFactory"/> on a fake clock that only moves when a test moves it (expiry,
/// sweeps). The background sweep's period is a week, so moving the clock a day never fires it: the
/// test runs the sweep itself, when it wants to see it.
/// </summary>
public sealed class FakeClockVerificationFactory : VerificationFactory
{
    public FakeClockVerificationFactory()
        : base(new Dictionary<string, string?> { ["Registration:SweepMinutes"] = "10080" })
    {
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureMoreServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}
