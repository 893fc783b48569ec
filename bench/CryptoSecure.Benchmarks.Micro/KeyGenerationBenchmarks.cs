using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace CryptoSecure.Benchmarks.Micro;

/// <summary>
/// RSA key generation as the key pool does it (generate, export SPKI and PKCS#8). One generation
/// per iteration (Monitoring): the time varies a lot from key to key (random prime search), so
/// look at the mean and the spread together.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 20)]
public class KeyGenerationBenchmarks
{
    [Params(2048, 3072)]
    public int KeyBits { get; set; }

    [Benchmark]
    public int Generate()
    {
        using var rsa = RSA.Create(KeyBits);
        var publicKey = rsa.ExportSubjectPublicKeyInfo();
        var privateKey = rsa.ExportPkcs8PrivateKey();
        CryptographicOperations.ZeroMemory(privateKey);
        return publicKey.Length;
    }
}
