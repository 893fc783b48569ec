using System.Threading.Channels;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.KeyGeneration;
using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Scheduling;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CryptoSecure.Infrastructure.Tests.KeyGeneration;

/// <summary>
/// The pool under the scheduler, with a generator the test finishes by hand: which generations
/// start, and for whom, never depends on how fast this machine makes RSA keys.
/// </summary>
public sealed class KeyPoolSchedulingTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly GatedKeyGenerator _generator = new();
    private CpuWorkScheduler _scheduler = null!;

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task A_request_whose_caller_left_while_it_queued_never_generates_a_key()
    {
        using var pool = NewPool();
        var first = pool.CreateAsync(KeySize.Rsa4096, "a", CancellationToken.None);
        var running = await _generator.NextAsync();
        using var gone = new CancellationTokenSource();
        var leaving = pool.CreateAsync(KeySize.Rsa4096, "b", gone.Token);
        _scheduler.Snapshot().QueuedRequests.Should().Be(1);

        await gone.CancelAsync();

        await leaving.AsTask().Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        _scheduler.Snapshot().QueuedRequests.Should().Be(0);
        running.Finish();
        (await first).Dispose();
        _generator.Calls.Should().Be(1, "the request that left was never started");
        _scheduler.Snapshot().Running.Should().Be(0);
    }

    [Fact]
    public async Task Pooled_keys_are_handed_out_at_once_while_every_generation_slot_is_busy()
    {
        using var pool = NewPool(target2048: 1);
        await FillAsync(pool);
        var running = pool.CreateAsync(KeySize.Rsa4096, "flood", CancellationToken.None);
        var queued = pool.CreateAsync(KeySize.Rsa4096, "flood", CancellationToken.None);

        var pooled = pool.CreateAsync(KeySize.Rsa2048, "other", CancellationToken.None);

        pooled.IsCompletedSuccessfully.Should().BeTrue("a pooled key waits for no generation");
        (await pooled).Dispose();
        queued.IsCompleted.Should().BeFalse();
        running.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task A_key_finished_after_its_caller_left_is_kept_for_the_next_registration()
    {
        using var pool = NewPool(target2048: 1);
        using var gone = new CancellationTokenSource();
        var leaving = pool.CreateAsync(KeySize.Rsa2048, "a", gone.Token);
        var generation = await _generator.NextAsync();

        await gone.CancelAsync();
        generation.Finish();

        await leaving.AsTask().Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        pool.Status().Single(s => s.Size == KeySize.Rsa2048).Should().BeEquivalentTo(new { Available = 1, GeneratedOnDemand = 0L });
        using var next = await pool.CreateAsync(KeySize.Rsa2048, "b", CancellationToken.None);
        next.PublicKey.Should().Equal(generation.PublicKey);
        _generator.Calls.Should().Be(1);
    }

    [Fact]
    public async Task A_request_refused_as_busy_gets_no_key_and_is_not_counted_as_one_handed_out()
    {
        using var pool = NewPool(maxQueuedCost: 8);
        var running = pool.CreateAsync(KeySize.Rsa4096, "a", CancellationToken.None);
        var queued = pool.CreateAsync(KeySize.Rsa4096, "a", CancellationToken.None);

        var refused = pool.CreateAsync(KeySize.Rsa4096, "a", CancellationToken.None);

        await refused.AsTask().Invoking(t => t).Should().ThrowAsync<ServiceBusyException>();
        pool.Status().Single(s => s.Size == KeySize.Rsa4096).GeneratedOnDemand.Should().Be(0);
        _generator.Calls.Should().Be(1);
        running.IsCompleted.Should().BeFalse();
        queued.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task The_refill_is_not_starved_by_waiting_requests()
    {
        using var pool = NewPool(target2048: 1);
        var request = pool.CreateAsync(KeySize.Rsa4096, "a", CancellationToken.None);
        var running = await _generator.NextAsync();
        using var stop = new CancellationTokenSource();
        var refill = pool.RefillAsync(stop.Token);
        var backlog = Enumerable.Range(0, 3).Select(_ => pool.CreateAsync(KeySize.Rsa3072, "b", CancellationToken.None).AsTask()).ToArray();
        _scheduler.Snapshot().Should().BeEquivalentTo(new { QueuedRequests = 3, QueuedBackground = 1 });

        running.Finish();

        (await _generator.NextAsync()).Size.Should().Be(KeySize.Rsa2048, "the pool's refill gets the next slot rather than waiting out the backlog");
        (await request).Dispose();
        backlog.Should().OnlyContain(t => !t.IsCompleted);
        await stop.CancelAsync();
    }

    private KeyPool NewPool(int target2048 = 0, int maxQueuedCost = 32)
    {
        var options = new KeyGenerationOptions { MaxConcurrentGenerations = 1, PoolParallelism = 1 };
        options.PoolTargets[KeySize.Rsa2048] = target2048;
        options.PoolTargets[KeySize.Rsa3072] = 0;
        options.PoolTargets[KeySize.Rsa4096] = 0;
        options.Generation.MaxQueuedCost = maxQueuedCost;
        _scheduler = new CpuWorkScheduler(options.SchedulerLimits(), new FakeTimeProvider());
        return new KeyPool(MsOptions.Create(options), _scheduler, _generator, new KeyGenerationMetrics(_meters));
    }

    private async Task FillAsync(KeyPool pool)
    {
        using var stop = new CancellationTokenSource();
        var refill = pool.RefillAsync(stop.Token);
        (await _generator.NextAsync()).Finish();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (pool.Status().Single(s => s.Size == KeySize.Rsa2048).Available < 1)
        {
            await Task.Delay(10, deadline.Token);
        }

        await stop.CancelAsync();
        await refill.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
    }
}

/// <summary>A key generator whose generations finish when the test says so.</summary>
internal sealed class GatedKeyGenerator : IRsaKeyGenerator
{
    private readonly Channel<Generation> _started = Channel.CreateUnbounded<Generation>();
    private int _calls;

    /// <summary>Generations asked for so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<RsaKeyPair> GenerateAsync(KeySize size)
    {
        var generation = new Generation(size, Interlocked.Increment(ref _calls));
        _started.Writer.TryWrite(generation);
        return generation.Result;
    }

    /// <summary>The next generation asked for (a hang guard, not a timing assertion).</summary>
    public async Task<Generation> NextAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await _started.Reader.ReadAsync(deadline.Token);
    }

    internal sealed class Generation(KeySize size, int number)
    {
        private readonly TaskCompletionSource<RsaKeyPair> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public KeySize Size { get; } = size;

        /// <summary>Distinct per generation, so a test can tell keys apart.</summary>
        public byte[] PublicKey { get; } = [.. BitConverter.GetBytes(number), (byte)size.Bits];

        public Task<RsaKeyPair> Result => _result.Task;

        public void Finish() => _result.TrySetResult(new RsaKeyPair(Size, [.. PublicKey], [0x30, (byte)number]));
    }
}
