using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Benchmarks.Micro;

/// <summary>AES-256-GCM sealing of a PKCS#8 private key under the master key, and opening it (every decrypt does).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class KeyProtectorBenchmarks
{
    private MasterKey _masterKey = null!;
    private AesGcmKeyProtector _protector = null!;
    private KeyBinding _binding = null!;
    private byte[] _privateKeyPkcs8 = [];
    private SealedPrivateKey _sealed = null!;

    [Params(2048, 3072)]
    public int KeyBits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _masterKey = new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.Length));
        _protector = new AesGcmKeyProtector(_masterKey);
        _binding = new KeyBinding(Guid.CreateVersion7(), "someone@example.com", 1);
        using var rsa = RSA.Create(KeyBits);
        _privateKeyPkcs8 = rsa.ExportPkcs8PrivateKey();
        _sealed = _protector.Seal(_privateKeyPkcs8, _binding);
    }

    [GlobalCleanup]
    public void Cleanup() => _masterKey.Dispose();

    [Benchmark]
    public SealedPrivateKey Seal() => _protector.Seal(_privateKeyPkcs8, _binding);

    [Benchmark]
    public int Unseal()
    {
        using var opened = _protector.Unseal(_sealed, _binding);
        return opened.Pkcs8.Length;
    }
}
