using System.ComponentModel.DataAnnotations;

namespace CryptoSecure.Infrastructure.Caching;

/// <summary>Settings of the identity and credential caches (section "Cache").</summary>
public sealed class CacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>Off: every request reads the store, as the first release did.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a change made through another node may go unseen here. The change feed is read four
    /// times per bound; when no read has succeeded for a whole bound, requests go to the store.
    /// </summary>
    [Range(0.1, 3600)]
    public double CoherenceSeconds { get; set; } = 1;

    /// <summary>The most identities held (each with its whole key ring).</summary>
    [Range(1, 10_000_000)]
    public int MaxIdentities { get; set; } = 10_000;

    /// <summary>
    /// The most key versions held across all cached identities: the memory bound, since a ring of
    /// a thousand versions weighs as much as a thousand identities of one (about 2-3 KB each).
    /// </summary>
    [Range(1, 100_000_000)]
    public int MaxKeyVersions { get; set; } = 50_000;

    /// <summary>The most API-key hashes held with their owner.</summary>
    [Range(1, 10_000_000)]
    public int MaxCredentials { get; set; } = 10_000;

    /// <summary>The coherence bound as a span.</summary>
    public TimeSpan Coherence => TimeSpan.FromSeconds(CoherenceSeconds);
}
