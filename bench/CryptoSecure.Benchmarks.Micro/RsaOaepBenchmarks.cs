using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Benchmarks.Micro;

/// <summary>
/// Raw RSA-OAEP-SHA256 of a 32-byte message (a JWE content key, or a short rsa-oaep plaintext),
/// and the key imports each request does.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class RsaOaepBenchmarks
{
    private RSA _privateKey = null!;
    private RSA _publicKey = null!;
    private byte[] _publicKeySpki = [];
    private byte[] _privateKeyPkcs8 = [];
    private byte[] _message = [];
    private byte[] _ciphertext = [];

    [Params(2048, 3072)]
    public int KeyBits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _privateKey = RSA.Create(KeyBits);
        _publicKeySpki = _privateKey.ExportSubjectPublicKeyInfo();
        _privateKeyPkcs8 = _privateKey.ExportPkcs8PrivateKey();
        _message = RandomNumberGenerator.GetBytes(32);
        _ciphertext = RsaOaepSha256.Encrypt(_publicKeySpki, _message);
        _publicKey = RSA.Create();
        _publicKey.ImportSubjectPublicKeyInfo(_publicKeySpki, out _);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _privateKey.Dispose();
        _publicKey.Dispose();
    }

    /// <summary>SPKI import + public-key operation (what every encrypt does).</summary>
    [Benchmark]
    public byte[] Encrypt() => RsaOaepSha256.Encrypt(_publicKeySpki, _message);

    /// <summary>Public-key operation alone, with a key imported once (the server does not do this; for comparison).</summary>
    [Benchmark]
    public byte[] EncryptPreImported() => _publicKey.Encrypt(_message, RSAEncryptionPadding.OaepSHA256);

    /// <summary>Private-key operation with a key imported once and used before (the server does not do this; for comparison).</summary>
    [Benchmark]
    public byte[]? Decrypt() => RsaOaepSha256.TryDecrypt(_privateKey, _ciphertext);

    /// <summary>PKCS#8 import alone (every decrypt imports the unsealed key).</summary>
    [Benchmark]
    public int ImportPkcs8()
    {
        using var rsa = RsaOaepSha256.ImportPrivateKey(_privateKeyPkcs8)!;
        return rsa.KeySize;
    }

    /// <summary>PKCS#8 import and one private-key operation on the fresh key: what every decrypt request does.</summary>
    [Benchmark]
    public byte[]? ImportPkcs8AndDecrypt()
    {
        using var rsa = RsaOaepSha256.ImportPrivateKey(_privateKeyPkcs8)!;
        return RsaOaepSha256.TryDecrypt(rsa, _ciphertext);
    }
}
