using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Security.Cryptography;
using System.Threading.Channels;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.KeyGeneration;
using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Scheduling;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CryptoSecure.Infrastructure.Tests.KeyGeneration;

/// <summary>
/// The pool with real RSA-2048 generation only (the other sizes' targets are 0) to keep it cheap. Waiting for
/// the background refill polls the pool's own figures with a generous deadline; nothing asserts on time.
/// </summary>
public sealed class KeyPoolTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly TestMeterFactory _meters = new();

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task Refill_fills_each_size_to_its_target_and_then_waits()
    {
        using var pool = NewPool(target2048: 3);
        using var stop = new CancellationTokenSource();

        var refill = pool.RefillAsync(stop.Token);
        await WaitUntil(() => Status(pool, KeySize.Rsa2048).Available == 3);

        Status(pool, KeySize.Rsa2048).Should().BeEquivalentTo(new { Available = 3, Target = 3, Generated = 3L });
        Status(pool, KeySize.Rsa3072).Should().BeEquivalentTo(new { Available = 0, Target = 0, Generated = 0L });
        Status(pool, KeySize.Rsa4096).Should().BeEquivalentTo(new { Available = 0, Target = 0, Generated = 0L });
        refill.IsCompleted.Should().BeFalse("a full pool waits for a key to be taken");

        await stop.CancelAsync();
        await refill.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        Status(pool, KeySize.Rsa2048).Generated.Should().Be(3, "a full pool generates nothing more");
    }

    [Fact]
    public async Task Refill_tops_the_pool_up_again_after_a_key_is_taken()
    {
        using var pool = NewPool(target2048: 2);
        using var stop = new CancellationTokenSource();
        var refill = pool.RefillAsync(stop.Token);
        await WaitUntil(() => Status(pool, KeySize.Rsa2048).Available == 2);

        using (await pool.CreateAsync(KeySize.Rsa2048, "client", CancellationToken.None))
        {
            await WaitUntil(() => Status(pool, KeySize.Rsa2048).Generated == 3);
            await WaitUntil(() => Status(pool, KeySize.Rsa2048).Available == 2);
        }

        await stop.CancelAsync();
        await refill.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        Status(pool, KeySize.Rsa2048).Generated.Should().Be(3, "one key was taken, so exactly one was made to replace it");
    }

    [Fact]
    public async Task CreateAsync_hands_out_pooled_keys_before_generating()
    {
        using var pool = NewPool(target2048: 3, out var metrics);
        using var takes = new TakeRecorder(metrics.Meter);
        await FillAsync(pool, 3);

        var pooled = new List<RsaKeyPair>();
        for (var i = 0; i < 3; i++)
        {
            pooled.Add(await pool.CreateAsync(KeySize.Rsa2048, "client", CancellationToken.None));
            Status(pool, KeySize.Rsa2048).Available.Should().Be(2 - i);
        }

        Status(pool, KeySize.Rsa2048).Generated.Should().Be(3, "the three keys came from the pool");
        takes.Sources.Should().Equal("pool", "pool", "pool");
        pooled.Should().OnlyContain(p => p.Size == KeySize.Rsa2048);
        pooled.Select(p => Convert.ToBase64String(p.PublicKey)).Should().OnlyHaveUniqueItems();
        pooled.ForEach(AssertUsable);
        pooled.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task CreateAsync_generates_a_key_when_the_pool_is_empty()
    {
        using var pool = NewPool(target2048: 1, out var metrics);
        using var takes = new TakeRecorder(metrics.Meter);

        using var pair = await pool.CreateAsync(KeySize.Rsa2048, "client", CancellationToken.None);

        AssertUsable(pair);
        Status(pool, KeySize.Rsa2048).Generated.Should().Be(1);
        Status(pool, KeySize.Rsa2048).Available.Should().Be(0);
        takes.Sources.Should().Equal("generated");
    }

    [Fact]
    public async Task A_key_is_never_handed_out_twice()
    {
        using var pool = NewPool(target2048: 3);
        await FillAsync(pool, 3);

        // More concurrent takers than pooled keys: some get pooled keys, the rest fresh ones.
        var pairs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => pool.CreateAsync(KeySize.Rsa2048, "client", CancellationToken.None).AsTask()));

        pairs.Select(p => Convert.ToBase64String(p.PublicKey)).Should().OnlyHaveUniqueItems();
        Status(pool, KeySize.Rsa2048).Generated.Should().Be(6);
        Status(pool, KeySize.Rsa2048).Available.Should().Be(0);
        foreach (var pair in pairs)
        {
            AssertUsable(pair);
            pair.Dispose();
        }
    }

    [Fact]
    public async Task Dispose_wipes_every_pooled_key()
    {
        var pool = NewPool(target2048: 2);
        await FillAsync(pool, 2);
        var pooled = PeekPooled(pool, KeySize.Rsa2048);
        pooled.Should().HaveCount(2);

        pool.Dispose();

        Status(pool, KeySize.Rsa2048).Available.Should().Be(0);
        foreach (var pair in pooled)
        {
            var read = () => pair.PrivateKeyPkcs8.Length;
            read.Should().Throw<ObjectDisposedException>("a pooled private key must not outlive the pool");
        }
    }

    [Fact]
    public async Task CreateAsync_after_Dispose_throws_ObjectDisposedException()
    {
        var pool = NewPool(target2048: 1);
        pool.Dispose();

        await pool.Invoking(p => p.CreateAsync(KeySize.Rsa2048, "client", CancellationToken.None).AsTask())
            .Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task Status_reports_generated_counts_and_mean_generation_time()
    {
        using var pool = NewPool(target2048: 0);
        Status(pool, KeySize.Rsa2048).Should().BeEquivalentTo(new { Generated = 0L, AverageGenerationMs = 0.0 });

        using (await pool.CreateAsync(KeySize.Rsa2048, "client", CancellationToken.None))
        using (await pool.CreateAsync(KeySize.Rsa2048, "client", CancellationToken.None))
        {
        }

        var status = Status(pool, KeySize.Rsa2048);
        status.Generated.Should().Be(2);
        status.AverageGenerationMs.Should().BeGreaterThan(0);
        Status(pool, KeySize.Rsa3072).Generated.Should().Be(0);
    }

    [Fact]
    public void Status_lists_every_key_size()
    {
        using var pool = NewPool(target2048: 2);

        pool.Status().Select(s => s.Size).Should().Equal(KeySize.All);
    }

    private KeyPool NewPool(int target2048) => NewPool(target2048, out _);

    private KeyPool NewPool(int target2048, out KeyGenerationMetrics metrics)
    {
        var options = new KeyGenerationOptions { MaxConcurrentGenerations = 2, PoolParallelism = 1 };
        options.PoolTargets[KeySize.Rsa2048] = target2048;
        options.PoolTargets[KeySize.Rsa3072] = 0;
        options.PoolTargets[KeySize.Rsa4096] = 0;
        options.Generation.MaxWaitSeconds = KeyGenerationOptions.MaxWaitSecondsLimit; // real keys on a shared machine: no wait bound in play
        metrics = new KeyGenerationMetrics(_meters);
        var scheduler = new CpuWorkScheduler(options.SchedulerLimits(), TimeProvider.System);
        return new KeyPool(MsOptions.Create(options), scheduler, new RsaKeyGenerator(), metrics);
    }

    private static async Task FillAsync(KeyPool pool, int count)
    {
        using var stop = new CancellationTokenSource();
        var refill = pool.RefillAsync(stop.Token);
        await WaitUntil(() => Status(pool, KeySize.Rsa2048).Available == count);
        await stop.CancelAsync();
        await refill.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
    }

    private static KeyPoolStatus Status(KeyPool pool, KeySize size) => pool.Status().Single(s => s.Size == size);

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"The key pool did not reach the expected state within {Deadline.TotalSeconds} s.");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    private static void AssertUsable(RsaKeyPair pair)
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pair.PrivateKeyPkcs8, out _);
        rsa.KeySize.Should().Be(2048);
        rsa.ExportSubjectPublicKeyInfo().Should().Equal(pair.PublicKey, "the private key must belong to the public key handed out with it");
    }

    /// <summary>
    /// The pairs sitting in the pool, left in place. Reflection, because the pool rightly offers no way
    /// to look at a key without taking it, and the test needs the very instances Dispose must wipe.
    /// </summary>
    private static List<RsaKeyPair> PeekPooled(KeyPool pool, KeySize size)
    {
        var field = typeof(KeyPool).GetField("_pools", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("KeyPool._pools not found; update this test helper.");
        var channel = ((Dictionary<KeySize, Channel<RsaKeyPair>>)field.GetValue(pool)!)[size];
        var pairs = new List<RsaKeyPair>();
        while (channel.Reader.TryRead(out var pair))
        {
            pairs.Add(pair);
        }

        foreach (var pair in pairs)
        {
            channel.Writer.TryWrite(pair).Should().BeTrue();
        }

        return pairs;
    }

    /// <summary>Records the "source" tag of each cryptosecure.keypool.takes measurement on one meter.</summary>
    private sealed class TakeRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<string> _sources = new();

        public TakeRecorder(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "cryptosecure.keypool.takes")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "source")
                    {
                        _sources.Enqueue((string)tag.Value!);
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<string> Sources => [.. _sources];

        public void Dispose() => _listener.Dispose();
    }
}
