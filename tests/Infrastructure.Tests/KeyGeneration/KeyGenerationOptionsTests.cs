using System.ComponentModel.DataAnnotations;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Options;

namespace CryptoSecure.Infrastructure.Tests.KeyGeneration;

/// <summary>Out-of-range key generation settings are refused at start, by name; none is clamped.</summary>
public sealed class KeyGenerationOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_make_the_documented_bounds()
    {
        var options = new KeyGenerationOptions();

        Problems(options).Should().BeEmpty();
        options.SchedulerLimits().Should().BeEquivalentTo(new
        {
            Slots = Math.Max(1, Environment.ProcessorCount / 2),
            MaxQueuedCost = 32.0,
            MaxWait = TimeSpan.FromSeconds(5),
            BackgroundShare = 0.25,
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Fewer_than_one_concurrent_generation_is_refused(int value)
    {
        var options = new KeyGenerationOptions { MaxConcurrentGenerations = value };

        Problems(options).Should().Contain(p => p.Contains("Keys:MaxConcurrentGenerations", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(2, 3)]
    public void Pool_parallelism_outside_one_to_the_concurrency_limit_is_refused(int maxConcurrent, int parallelism)
    {
        var options = new KeyGenerationOptions { MaxConcurrentGenerations = maxConcurrent, PoolParallelism = parallelism };

        Problems(options).Should().ContainSingle().Which.Should().Contain("Keys:Pool:Parallelism");
    }

    [Fact]
    public void A_negative_pool_target_is_refused()
    {
        var options = new KeyGenerationOptions();
        options.PoolTargets[KeySize.Rsa3072] = -1;

        Problems(options).Should().ContainSingle().Which.Should().Contain("Keys:Pool:3072");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(7)]
    public void A_queue_bound_that_cannot_hold_one_RSA_4096_generation_is_refused(int maxQueuedCost)
    {
        var options = new KeyGenerationOptions();
        options.Generation.MaxQueuedCost = maxQueuedCost;

        Problems(options).Should().ContainSingle().Which.Should().Contain("Keys:Generation:MaxQueuedCost");
    }

    [Fact]
    public void A_queue_bound_of_zero_means_requests_never_queue_and_is_accepted()
    {
        var options = new KeyGenerationOptions();
        options.Generation.MaxQueuedCost = 0;

        Problems(options).Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    public void A_wait_bound_outside_one_to_300_seconds_is_refused(int seconds)
    {
        var options = new KeyGenerationOptions();
        options.Generation.MaxWaitSeconds = seconds;

        Problems(options).Should().ContainSingle().Which.Should().Contain("Keys:Generation:MaxWaitSeconds");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(25.0)]
    [InlineData(-0.5)]
    public void A_pool_share_that_would_let_one_side_starve_is_refused(double share)
    {
        var options = new KeyGenerationOptions();
        options.Generation.PoolShare = share;

        Problems(options).Should().ContainSingle().Which.Should().Contain("Keys:Generation:PoolShare");
    }

    [Fact]
    public void The_retired_request_count_bound_is_refused_naming_its_replacement()
    {
        var options = new KeyGenerationOptions { RetiredMaxQueuedGenerationsIsSet = true };

        Problems(options).Should().ContainSingle().Which.Should().Contain("Keys:MaxQueuedGenerations").And.Contain("Keys:Generation:MaxQueuedCost");
    }

    private static List<string> Problems(KeyGenerationOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }
}
