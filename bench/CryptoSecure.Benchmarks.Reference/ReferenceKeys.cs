using System.Security.Cryptography;

namespace CryptoSecure.Benchmarks.Reference;

/// <summary>
/// One RSA key per size, made at start. Each thread gets its own imported copy: the server never
/// shares one RSA instance between concurrent requests either, and the copies keep OpenSSL's
/// per-key set-up (Montgomery contexts, blinding) warm, as the server's key cache does.
/// </summary>
internal sealed class ReferenceKeys
{
    private readonly Dictionary<int, ThreadLocal<ReferenceKey>> _bySize = [];

    public ReferenceKeys(IEnumerable<int> sizes)
    {
        foreach (var bits in sizes)
        {
            using var generated = RSA.Create(bits);
            var pkcs8 = generated.ExportPkcs8PrivateKey();
            var keyId = $"reference-{bits}.1";
            _bySize[bits] = new ThreadLocal<ReferenceKey>(() =>
            {
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                return new ReferenceKey(rsa, keyId);
            });
        }
    }

    public bool TryGet(int bits, out ReferenceKey key)
    {
        if (_bySize.TryGetValue(bits, out var local))
        {
            key = local.Value!;
            return true;
        }

        key = null!;
        return false;
    }
}

/// <summary>An imported key and the "kid" its JWEs carry.</summary>
internal sealed record ReferenceKey(RSA Rsa, string KeyId);
