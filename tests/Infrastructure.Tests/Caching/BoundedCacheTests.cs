using CryptoSecure.Infrastructure.Caching;

namespace CryptoSecure.Infrastructure.Tests.Caching;

/// <summary>The memory bound of the caches: entries and their total weight (key versions) both stay bounded.</summary>
public sealed class BoundedCacheTests
{
    [Fact]
    public void Entries_past_the_count_bound_are_trimmed_to_it()
    {
        var cache = new BoundedCache<int, string>(maxCount: 100, maxWeight: 1_000_000, static _ => 1);

        for (var i = 0; i < 1000; i++)
        {
            cache.Set(i, "x");
        }

        cache.Count.Should().BeLessThanOrEqualTo(100);
        cache.Weight.Should().Be(cache.Count);
    }

    [Fact]
    public void Heavy_entries_are_bounded_by_their_weight_and_one_heavier_than_the_bound_is_not_kept()
    {
        var cache = new BoundedCache<int, int>(maxCount: 1000, maxWeight: 5000, static versions => versions);

        for (var i = 0; i < 50; i++)
        {
            cache.Set(i, 1000); // a ring of a thousand versions each
        }

        cache.Weight.Should().BeLessThanOrEqualTo(5000);
        cache.Count.Should().BeLessThanOrEqualTo(5);
        cache.Set(-1, 5001).Should().BeNull();
        cache.TryGet(-1, out _).Should().BeFalse();
    }

    [Fact]
    public void Replacing_and_removing_keep_the_weight_exact()
    {
        var cache = new BoundedCache<string, int>(maxCount: 10, maxWeight: 100, static w => w);

        cache.Set("a", 10);
        cache.Set("a", 3);
        cache.Set("b", 4);
        cache.RemoveWhere(w => w == 4);

        cache.Weight.Should().Be(3);
        cache.TryGet("a", out var a).Should().BeTrue();
        a.Should().Be(3);
        cache.Clear();
        cache.Weight.Should().Be(0);
    }
}
