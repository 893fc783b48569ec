using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.KeyGeneration;
using CryptoSecure.Infrastructure.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The real server with one key generation slot, an empty key pool, and a key generator the test
/// finishes by hand; its clock is a <see cref="FakeTimeProvider"/> and each client names its own
/// network address. What runs when, and who waits, never depends on how fast this machine makes RSA keys.
/// </summary>
public sealed class GatedGenerationFactory : ApiFactory
{
    /// <summary>The header the test server takes a client's address from (the test's stand-in for the TCP peer).</summary>
    public const string AddressHeader = "X-Test-Client-Address";

    public GatedGenerationFactory(IDictionary<string, string?>? overrides = null)
        : base(Settings(overrides))
    {
    }

    public GatedKeyGenerator Generator { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    public CpuWorkScheduler Scheduler => Services.GetRequiredService<CpuWorkScheduler>();

    /// <summary>A client whose requests come from <paramref name="address"/>.</summary>
    public ApiClient NewClient(string address)
    {
        var client = NewClient();
        client.Http.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }

    /// <summary>Polls the scheduler until <paramref name="condition"/> holds (a hang guard, not a timing assertion).</summary>
    public async Task WaitForSchedulerAsync(Func<CpuWorkSnapshot, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition(Scheduler.Snapshot()))
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IRsaKeyGenerator>(Generator);
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter, AddressFromHeader>();
        });
    }

    private static Dictionary<string, string?> Settings(IDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Keys:Pool:2048"] = "0",
            ["Keys:MaxConcurrentGenerations"] = "1",
            ["Keys:Pool:Parallelism"] = "1",
            ["Keys:Generation:MaxQueuedCost"] = "32",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Sets the connection's remote address from <see cref="AddressHeader"/>, first thing in the pipeline.</summary>
    private sealed class AddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>A key generator whose generations finish when the test says so, with real key material.</summary>
public sealed class GatedKeyGenerator : IRsaKeyGenerator
{
    // One real key per size, generated once: registration seals and formats real keys.
    private static readonly Dictionary<int, Lazy<(byte[] Spki, byte[] Pkcs8)>> Material = KeySize.All.ToDictionary(
        s => s.Bits,
        s => new Lazy<(byte[], byte[])>(() =>
        {
            using var rsa = RSA.Create(s.Bits);
            return (rsa.ExportSubjectPublicKeyInfo(), rsa.ExportPkcs8PrivateKey());
        }));

    private readonly Channel<Generation> _asked = Channel.CreateUnbounded<Generation>();
    private int _calls;

    /// <summary>Generations asked for so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<RsaKeyPair> GenerateAsync(KeySize size)
    {
        Interlocked.Increment(ref _calls);
        var generation = new Generation(size);
        _asked.Writer.TryWrite(generation);
        return generation.Result;
    }

    /// <summary>The next generation asked for (a hang guard, not a timing assertion).</summary>
    public async Task<Generation> NextAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await _asked.Reader.ReadAsync(deadline.Token);
    }

    public sealed class Generation(KeySize size)
    {
        private readonly TaskCompletionSource<RsaKeyPair> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public KeySize Size { get; } = size;

        internal Task<RsaKeyPair> Result => _result.Task;

        public void Finish()
        {
            var (spki, pkcs8) = Material[Size.Bits].Value;
            _result.TrySetResult(new RsaKeyPair(Size, [.. spki], [.. pkcs8]));
        }
    }
}
