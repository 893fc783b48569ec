using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>Settings of <see cref="RsaKeyCache"/> (section "Keys:KeyCache").</summary>
public sealed class RsaKeyCacheOptions
{
    public const string SectionName = "Keys:KeyCache";

    /// <summary>How many distinct keys to keep imported; 0 imports every key for every use.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000)]
    public int Capacity { get; set; } = 1024;

    /// <summary>A key unused this long is dropped (and its OpenSSL objects freed).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 86_400)]
    public int IdleSeconds { get; set; } = 300;
}

/// <summary>
/// Keeps RSA keys imported (OpenSSL key objects) between requests. Importing a PKCS#8 private key
/// costs more than the RSA-2048 decryption itself (bench/README.md), and a public key import is
/// most of an encryption's RSA step.
/// </summary>
/// <remarks>
/// Entries are found by the SHA-256 of the key's DER bytes, which a caller only has after reading
/// the identity from the store (and, for private keys, unsealing it): a deleted identity's cached
/// keys can never be reached again and simply expire. Holding opened keys in memory adds no
/// exposure beyond the process itself, which already holds the sealing key that opens them all.
/// Each entry keeps a few idle instances rather than sharing one, so concurrent requests never use
/// one RSA object at once.
/// </remarks>
public sealed class RsaKeyCache : IDisposable
{
    private const int MaxIdleInstances = 4;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly long _idleTicks;
    private readonly TimeProvider _clock;
    private long _nextSweep;
    private bool _disposed;

    /// <summary>Creates a cache with <paramref name="options"/>.</summary>
    public RsaKeyCache(RsaKeyCacheOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _capacity = options.Capacity;
        _clock = clock ?? TimeProvider.System;
        _idleTicks = (long)(TimeSpan.FromSeconds(options.IdleSeconds).TotalSeconds * _clock.TimestampFrequency);
    }

    /// <summary>A cache that keeps nothing: every use imports the key and frees it afterwards.</summary>
    public static RsaKeyCache None { get; } = new(new RsaKeyCacheOptions { Capacity = 0 });

    /// <summary>What kind of DER a key is.</summary>
    public enum KeyKind
    {
        /// <summary>SubjectPublicKeyInfo.</summary>
        Public,

        /// <summary>PKCS#8 PrivateKeyInfo.</summary>
        Private,
    }

    /// <summary>How many keys are held now.</summary>
    public int Count => _entries.Count;

    /// <summary>Borrows an imported key; dispose the lease to give it back.</summary>
    /// <exception cref="CryptographicException">The bytes are not an RSA key of that kind.</exception>
    public Lease Rent(ReadOnlySpan<byte> der, KeyKind kind)
    {
        if (_capacity == 0 || Volatile.Read(ref _disposed))
        {
            return new Lease(Import(der, kind), null);
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes + 1];
        SHA256.HashData(der, digest[1..]);
        digest[0] = (byte)kind;
        var now = _clock.GetTimestamp();
        var entry = _entries.GetOrAdd(Convert.ToHexString(digest), static (_, at) => new Entry(at), now);
        entry.Touch(now);
        var key = entry.TryTake() ?? Import(der, kind);
        Trim(now);
        return new Lease(key, entry);
    }

    /// <summary>Frees every held key; later leases import and free their own.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        foreach (var name in _entries.Keys)
        {
            Remove(name);
        }
    }

    /// <summary>Drops idle entries (at most once a second), then the least recently used beyond capacity.</summary>
    private void Trim(long now)
    {
        var next = Interlocked.Read(ref _nextSweep);
        if (now >= next && Interlocked.CompareExchange(ref _nextSweep, now + _clock.TimestampFrequency, next) == next)
        {
            foreach (var (name, entry) in _entries)
            {
                if (now - entry.LastUsed > _idleTicks)
                {
                    Remove(name);
                }
            }
        }

        while (_entries.Count > _capacity)
        {
            var oldest = _entries.MinBy(e => e.Value.LastUsed);
            Remove(oldest.Key);
        }
    }

    private void Remove(string name)
    {
        if (_entries.TryRemove(name, out var entry))
        {
            entry.Evict();
        }
    }

    private static RSA Import(ReadOnlySpan<byte> der, KeyKind kind)
    {
        var rsa = RSA.Create();
        try
        {
            if (kind == KeyKind.Private)
            {
                rsa.ImportPkcs8PrivateKey(der, out _);
            }
            else
            {
                rsa.ImportSubjectPublicKeyInfo(der, out _);
            }

            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>A borrowed key.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly Entry? _entry;

        internal Lease(RSA key, Entry? entry)
        {
            Key = key;
            _entry = entry;
        }

        /// <summary>The imported key; used by one caller at a time.</summary>
        public RSA Key { get; }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_entry is null)
            {
                Key.Dispose();
            }
            else
            {
                _entry.Return(Key);
            }
        }
    }

    /// <summary>The idle instances of one key.</summary>
    internal sealed class Entry(long createdAt)
    {
        private readonly ConcurrentBag<RSA> _idle = [];
        private long _lastUsed = createdAt;
        private volatile bool _evicted;

        public long LastUsed => Interlocked.Read(ref _lastUsed);

        public void Touch(long now) => Interlocked.Exchange(ref _lastUsed, now);

        public RSA? TryTake() => _idle.TryTake(out var rsa) ? rsa : null;

        public void Return(RSA rsa)
        {
            if (_evicted || _idle.Count >= MaxIdleInstances)
            {
                rsa.Dispose();
                return;
            }

            _idle.Add(rsa);
            if (_evicted)
            {
                Drain();
            }
        }

        public void Evict()
        {
            _evicted = true;
            Drain();
        }

        private void Drain()
        {
            while (_idle.TryTake(out var rsa))
            {
                rsa.Dispose();
            }
        }
    }
}
