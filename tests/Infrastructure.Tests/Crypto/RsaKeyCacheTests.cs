using System.Security.Cryptography;
using CryptoSecure.Infrastructure.Crypto;
using Microsoft.Extensions.Time.Testing;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

public sealed class RsaKeyCacheTests : IDisposable
{
    private static readonly byte[] Pkcs8 = TestKeys.Rsa2048Pkcs8;
    private static readonly byte[] OtherPkcs8 = TestKeys.OtherRsa2048Pkcs8;
    private readonly FakeTimeProvider _clock = new();
    private readonly RsaKeyCache _cache;

    public RsaKeyCacheTests() => _cache = new(new RsaKeyCacheOptions { Capacity = 8, IdleSeconds = 60 }, _clock);

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void A_returned_key_is_reused_instead_of_imported_again()
    {
        var first = RentAndReturn(_cache, Pkcs8);

        using var again = _cache.Rent(Pkcs8, RsaKeyCache.KeyKind.Private);

        again.Key.Should().BeSameAs(first);
    }

    [Fact]
    public void Two_holders_at_once_never_share_an_instance()
    {
        using var one = _cache.Rent(Pkcs8, RsaKeyCache.KeyKind.Private);
        using var two = _cache.Rent(Pkcs8, RsaKeyCache.KeyKind.Private);

        two.Key.Should().NotBeSameAs(one.Key);
        two.Key.ExportParameters(false).Modulus.Should().Equal(one.Key.ExportParameters(false).Modulus);
    }

    [Fact]
    public void Public_and_private_entries_are_distinct_and_bytes_of_the_wrong_kind_are_refused()
    {
        var spki = TestKeys.SpkiOf(Pkcs8);

        using (var publicLease = _cache.Rent(spki, RsaKeyCache.KeyKind.Public))
        {
            var export = () => publicLease.Key.ExportParameters(includePrivateParameters: true);
            export.Should().Throw<CryptographicException>("a public entry holds no private key");
        }

        var wrongKind = () => _cache.Rent(spki, RsaKeyCache.KeyKind.Private);
        wrongKind.Should().Throw<CryptographicException>();
    }

    [Fact]
    public void Keys_idle_longer_than_the_limit_are_freed()
    {
        var idle = RentAndReturn(_cache, Pkcs8);

        _clock.Advance(TimeSpan.FromSeconds(61));
        RentAndReturn(_cache, OtherPkcs8);

        Freed(idle).Should().BeTrue();
        _cache.Count.Should().Be(1);
    }

    [Fact]
    public void Beyond_capacity_the_least_recently_used_key_is_freed()
    {
        using var cache = new RsaKeyCache(new RsaKeyCacheOptions { Capacity = 1 }, _clock);
        var older = RentAndReturn(cache, Pkcs8);
        _clock.Advance(TimeSpan.FromMilliseconds(10));

        var newer = RentAndReturn(cache, OtherPkcs8);

        Freed(older).Should().BeTrue();
        Freed(newer).Should().BeFalse();
        cache.Count.Should().Be(1);
    }

    [Fact]
    public void Disposing_the_cache_frees_idle_keys_and_keys_given_back_later()
    {
        var cache = new RsaKeyCache(new RsaKeyCacheOptions { Capacity = 8 }, _clock);
        var idle = RentAndReturn(cache, OtherPkcs8);
        var held = cache.Rent(Pkcs8, RsaKeyCache.KeyKind.Private);

        cache.Dispose();
        held.Dispose();

        Freed(idle).Should().BeTrue();
        Freed(held.Key).Should().BeTrue();
    }

    [Fact]
    public void With_caching_off_every_lease_imports_and_frees_its_own_key()
    {
        var first = RentAndReturn(RsaKeyCache.None, Pkcs8);

        using var again = RsaKeyCache.None.Rent(Pkcs8, RsaKeyCache.KeyKind.Private);

        again.Key.Should().NotBeSameAs(first);
        Freed(first).Should().BeTrue();
    }

    private static RSA RentAndReturn(RsaKeyCache cache, byte[] pkcs8)
    {
        using var lease = cache.Rent(pkcs8, RsaKeyCache.KeyKind.Private);
        return lease.Key;
    }

    private static bool Freed(RSA key)
    {
        try
        {
            key.ExportParameters(false);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}
