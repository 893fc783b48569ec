using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Benchmarks.Micro;

/// <summary>
/// JWE compact (RSA-OAEP-256 + A256GCM): encrypt to an SPKI public key, decrypt with an imported
/// RSA key, and decrypt as the server does it per request (PKCS#8 import + decrypt, via PayloadCipher).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class JweBenchmarks
{
    private readonly PayloadCipher _cipher = new(RsaKeyCache.None);
    private RSA _privateKey = null!;
    private byte[] _publicKeySpki = [];
    private byte[] _privateKeyPkcs8 = [];
    private byte[] _plaintext = [];
    private string _keyId = string.Empty;
    private string _compact = string.Empty;
    private JweCiphertext _ciphertext = null!;

    [Params(2048, 3072)]
    public int KeyBits { get; set; }

    [Params(1024, 65536)]
    public int PlaintextBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _privateKey = RSA.Create(KeyBits);
        _publicKeySpki = _privateKey.ExportSubjectPublicKeyInfo();
        _privateKeyPkcs8 = _privateKey.ExportPkcs8PrivateKey();
        _plaintext = RandomNumberGenerator.GetBytes(PlaintextBytes);
        _keyId = KeyId.Format(Guid.CreateVersion7(), 1);
        _compact = JweCompact.Encrypt(_plaintext, _privateKey, _keyId);
        _ciphertext = new JweCiphertext(_compact);
        if (!_cipher.TryDecrypt(_ciphertext, _privateKeyPkcs8, out var check, out _) || !check.AsSpan().SequenceEqual(_plaintext))
        {
            throw new InvalidOperationException("The JWE does not round-trip.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _privateKey.Dispose();

    [Benchmark]
    public string Encrypt() => JweCompact.Encrypt(_plaintext, _privateKey, _keyId);

    [Benchmark]
    public byte[]? TryDecrypt() => JweCompact.TryDecrypt(_compact, _privateKey, out _);

    /// <summary>What a decrypt request costs in crypto once the key is unsealed: PKCS#8 import, then the JWE.</summary>
    [Benchmark]
    public byte[] ImportPkcs8AndDecrypt() => _cipher.TryDecrypt(_ciphertext, _privateKeyPkcs8, out var plaintext, out var failure)
        ? plaintext
        : throw new DecryptionFailedException(failure);
}
