using System.Collections.Concurrent;

namespace CryptoSecure.Infrastructure.Caching;

/// <summary>
/// A concurrent map bounded by entry count and by total weight, dropping the least recently used
/// tenth when either bound is passed. Reads take no lock; recency is the millisecond tick of the
/// last read, so ordering among entries read in the same millisecond is arbitrary, which is all an
/// eviction order needs. Trimming sorts a snapshot, O(n log n) once per n/10 insertions.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries;
    private readonly int _maxCount;
    private readonly long _maxWeight;
    private readonly Func<TValue, int> _weigh;
    private long _weight;
    private int _trimming;

    public BoundedCache(int maxCount, long maxWeight, Func<TValue, int> weigh, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWeight, 1);
        _maxCount = maxCount;
        _maxWeight = maxWeight;
        _weigh = weigh;
        _entries = new ConcurrentDictionary<TKey, Entry>(comparer);
    }

    /// <summary>Entries held now.</summary>
    public int Count => _entries.Count;

    /// <summary>Their total weight now.</summary>
    public long Weight => Interlocked.Read(ref _weight);

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.LastUsed = Environment.TickCount64;
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Holds <paramref name="value"/> under <paramref name="key"/>; returns what was stored, to be given to <see cref="RemoveIfSame"/>.</summary>
    public object? Set(TKey key, TValue value)
    {
        var weight = _weigh(value);
        if (weight > _maxWeight)
        {
            return null; // would push out everything else and then itself
        }

        var entry = new Entry(value, weight, Environment.TickCount64);
        Remove(key);
        if (!_entries.TryAdd(key, entry))
        {
            return null; // another request stored it meanwhile; either copy is as good
        }

        Interlocked.Add(ref _weight, weight);
        if (_entries.Count > _maxCount || Interlocked.Read(ref _weight) > _maxWeight)
        {
            Trim();
        }

        return entry;
    }

    public void Remove(TKey key)
    {
        if (_entries.TryRemove(key, out var removed))
        {
            Interlocked.Add(ref _weight, -removed.Weight);
        }
    }

    /// <summary>Removes what <see cref="Set"/> stored, unless it has been replaced since.</summary>
    public void RemoveIfSame(TKey key, object? stored)
    {
        if (stored is Entry entry && _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry)))
        {
            Interlocked.Add(ref _weight, -entry.Weight);
        }
    }

    /// <summary>Removes every entry whose value matches; one pass over the entries.</summary>
    public void RemoveWhere(Func<TValue, bool> match)
    {
        foreach (var (key, entry) in _entries)
        {
            if (match(entry.Value) && _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry)))
            {
                Interlocked.Add(ref _weight, -entry.Weight);
            }
        }
    }

    public void Clear()
    {
        foreach (var key in _entries.Keys)
        {
            Remove(key);
        }
    }

    private void Trim()
    {
        // One trimmer at a time; the others go on, so the bound may be passed by as many entries
        // as there are concurrent insertions for the moment the trim takes.
        if (Interlocked.CompareExchange(ref _trimming, 1, 0) != 0)
        {
            return;
        }

        try
        {
            var snapshot = _entries.ToArray();
            Array.Sort(snapshot, static (a, b) => a.Value.LastUsed.CompareTo(b.Value.LastUsed));
            var count = snapshot.Length;
            var weight = Interlocked.Read(ref _weight);
            var countTarget = _maxCount - (_maxCount / 10);
            var weightTarget = _maxWeight - (_maxWeight / 10);
            for (var i = 0; i < snapshot.Length && (count > countTarget || weight > weightTarget); i++)
            {
                if (_entries.TryRemove(snapshot[i]))
                {
                    Interlocked.Add(ref _weight, -snapshot[i].Value.Weight);
                    count--;
                    weight -= snapshot[i].Value.Weight;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
        }
    }

    private sealed class Entry(TValue value, int weight, long lastUsed)
    {
        public TValue Value { get; } = value;

        public int Weight { get; } = weight;

        public long LastUsed { get; set; } = lastUsed;
    }
}
