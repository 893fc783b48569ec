using System.Security.Cryptography;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// Signing keys of each supported size, generated once per run and kept as DER (so each test
/// imports its own instance), and helpers that drive <see cref="PayloadSigner"/>.
/// </summary>
internal static class SigningKeys
{
    public static readonly int[] Sizes = [2048, 3072, 4096];

    private static readonly Dictionary<int, Lazy<byte[]>> Keys = Sizes.ToDictionary(size => size, size => new Lazy<byte[]>(() => Generate(size)));

    /// <summary>PKCS#8 of the suite's signing key of <paramref name="bits"/>.</summary>
    public static byte[] Pkcs8(int bits = 2048) => (byte[])Keys[bits].Value.Clone();

    /// <summary>SubjectPublicKeyInfo of the suite's signing key of <paramref name="bits"/>.</summary>
    public static byte[] Spki(int bits = 2048) => TestKeys.SpkiOf(Keys[bits].Value);

    /// <summary>A signer over a real cache, as the service wires it.</summary>
    public static PayloadSigner NewSigner() => new(new RsaKeyCache(new RsaKeyCacheOptions()));

    /// <summary>A lookup that knows one key, unbound to an algorithm, and counts its calls.</summary>
    public static (SigningKeyLookup Lookup, Func<int> Calls) OnlyKey(string keyId, byte[] spki, SignatureAlgorithm? algorithm = null)
    {
        var calls = 0;
        SigningKeyLookup lookup = kid =>
        {
            calls++;
            return kid == keyId ? new SignatureVerificationKey(spki, algorithm) : null;
        };
        return (lookup, () => calls);
    }

    private static byte[] Generate(int bits)
    {
        using var rsa = RSA.Create(bits);
        return rsa.ExportPkcs8PrivateKey();
    }
}
