using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Where the server runs an admitted private-key operation: by default on the thread that was
/// admitted (no hand-off, which cost a fifth to a third of decryption throughput), and on lowered
/// threads of its own only when <c>Load:PrivateKeyNice</c> asks for them.
/// </summary>
public sealed class PrivateKeyThreadingTests
{
    [Fact]
    public async Task By_default_an_operation_runs_on_the_admitted_thread_not_a_thread_of_its_own()
    {
        using var factory = new ApiFactory();
        var gate = factory.Services.GetRequiredService<IPrivateKeyGate>();

        var ranOn = await gate.RunAsync(KeySize.Rsa2048, "tester", () => Thread.CurrentThread.Name, default);

        (ranOn ?? string.Empty).Should().NotStartWith("private-key-");

        // Each running operation holds a pool thread, so the pool keeps twice the slots spare beyond one a core.
        var slots = factory.Services.GetRequiredService<IOptions<LoadOptions>>().Value.PrivateKeyConcurrency;
        ThreadPool.GetMinThreads(out var workers, out _);
        workers.Should().BeGreaterThanOrEqualTo(Environment.ProcessorCount + (2 * slots));
    }

    [Fact]
    public async Task With_a_nice_value_set_operations_run_on_the_private_key_threads()
    {
        using var factory = ApiFactory.With(new Dictionary<string, string?> { ["Load:PrivateKeyNice"] = "5" });
        var gate = factory.Services.GetRequiredService<IPrivateKeyGate>();

        var ranOn = await gate.RunAsync(KeySize.Rsa2048, "tester", () => Thread.CurrentThread.Name, default);

        ranOn.Should().StartWith("private-key-");
    }
}
