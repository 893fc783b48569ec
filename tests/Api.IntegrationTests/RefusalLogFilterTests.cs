using CryptoSecure.Api.Hosting;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// The filter against the real generic host: the host's own "Hosting failed to start" entry goes
/// for a refusal (Program reports it as one line), and stays, trace and all, for a bug.
/// </summary>
public sealed class RefusalLogFilterTests
{
    public static TheoryData<Exception> Refusals() => new()
    {
        new StartupConfigurationException("Set Some:Setting."),
        new OptionsValidationException("Some", typeof(object), ["Some:Setting must be positive."]),
        new AggregateException(new StartupConfigurationException("Set A."), new StartupConfigurationException("Set B.")),
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task The_hosts_failed_to_start_entry_is_dropped_for_a_refusal(Exception refusal)
    {
        var (thrown, logs) = await StartHostThatThrowsAsync(refusal);

        thrown.Should().BeSameAs(refusal, "Program still receives it and prints the one line");
        logs.All.Should().NotContain("Hosting failed to start").And.NotContain(refusal.GetType().Name);
        logs.All.Should().Contain("a later entry", "the host's other entries are untouched");
    }

    [Fact]
    public async Task The_hosts_failed_to_start_entry_keeps_its_trace_for_a_bug()
    {
        var (_, logs) = await StartHostThatThrowsAsync(new InvalidOperationException("a bug"));

        logs.All.Should().Contain("Hosting failed to start").And.Contain("InvalidOperationException: a bug").And.Contain(" at ");
    }

    [Fact]
    public void The_refusal_line_is_one_line_naming_every_refused_setting()
    {
        var line = StartupRefusal.Describe(new AggregateException(new StartupConfigurationException("Set A.\nReally."), new OptionsValidationException("B", typeof(object), ["Set B."])));

        line.Should().Be("CryptoSecure cannot start: Set A. Really. Set B.");
    }

    private static async Task<(Exception Thrown, LogCapture Logs)> StartHostThatThrowsAsync(Exception failure)
    {
        var logs = new LogCapture();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(logs);
        RefusalLogFilter.Register(builder.Services);
        builder.Services.AddHostedService(_ => new Throwing(failure));
        using var host = builder.Build();

        Exception? thrown = null;
        try
        {
            await host.StartAsync();
        }
        catch (Exception ex)
        {
            thrown = ex;
        }

        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(RefusalLogFilter.HostCategory).LogWarning("a later entry");
        return (thrown ?? throw new InvalidOperationException("The host started although a hosted service threw."), logs);
    }

    private sealed class Throwing(Exception failure) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromException(failure);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
