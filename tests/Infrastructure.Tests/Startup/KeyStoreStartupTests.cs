using System.Security.Cryptography;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.Persistence;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace CryptoSecure.Infrastructure.Tests.Startup;

public sealed class KeyStoreStartupTests
{
    [Fact]
    public async Task A_wrong_master_key_found_after_waiting_for_a_remote_store_stops_the_server_and_is_kept_for_the_exit_report()
    {
        var store = new Mock<IKeyStoreAdmin>();
        store.SetupGet(s => s.RetriesWhenUnavailable).Returns(true);
        store.SetupSequence(s => s.InitializeAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new StoreUnavailableException("not yet"))
            .Returns(Task.CompletedTask);
        using var otherKey = new MasterKey(RandomNumberGenerator.GetBytes(32));
        store.Setup(s => s.EnsureMasterKeyCheckAsync(It.IsAny<byte[]>(), It.IsAny<CancellationToken>())).ReturnsAsync(otherKey.CheckValue);
        var stopped = new TaskCompletionSource();
        var lifetime = new Mock<IHostApplicationLifetime>();
        lifetime.Setup(l => l.StopApplication()).Callback(stopped.SetResult);
        var readiness = new KeyStoreReadiness();
        using var masterKey = new MasterKey(RandomNumberGenerator.GetBytes(32));
        using var startup = new KeyStoreStartup(store.Object, new MasterKeyRing(masterKey, []), readiness, lifetime.Object, NullLogger<KeyStoreStartup>.Instance);

        await startup.StartAsync(default);
        readiness.Refusal.Should().BeNull("the store was not reachable yet, so the server runs and waits");
        await stopped.Task.WaitAsync(TimeSpan.FromMinutes(1));

        readiness.IsInitialized.Should().BeFalse();
        readiness.Refusal.Should().NotBeNull().And.Subject.As<StartupConfigurationException>().Message.Should().Contain("Security:MasterKey");
        await startup.StopAsync(default);
    }

    [Fact]
    public async Task Stopping_after_the_service_was_disposed_ends_the_retries_without_throwing()
    {
        // Seen in CI: a test host disposed the services of a server still waiting for its remote
        // store, then stopped them, and StopAsync threw ObjectDisposedException from the disposed
        // token source. Disposing must end the retries, and a later stop must find nothing to do.
        var store = new Mock<IKeyStoreAdmin>();
        store.SetupGet(s => s.RetriesWhenUnavailable).Returns(true);
        var attempts = 0;
        store.Setup(s => s.InitializeAsync(It.IsAny<CancellationToken>()))
            .Callback(() => Interlocked.Increment(ref attempts))
            .ThrowsAsync(new StoreUnavailableException("not yet"));
        using var masterKey = new MasterKey(RandomNumberGenerator.GetBytes(32));
        var startup = new KeyStoreStartup(store.Object, new MasterKeyRing(masterKey, []), new KeyStoreReadiness(), Mock.Of<IHostApplicationLifetime>(), NullLogger<KeyStoreStartup>.Instance);
        await startup.StartAsync(default);
        Volatile.Read(ref attempts).Should().Be(1, "the first attempt failed and the retries wait in the background");

        startup.Dispose();
        var stop = () => startup.StopAsync(default).WaitAsync(TimeSpan.FromSeconds(30));

        await stop.Should().NotThrowAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Volatile.Read(ref attempts).Should().Be(1, "disposing ended the retries: none ran after it (the first retry waits 1 s)");
    }
}
