using System.Security.Cryptography;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Infrastructure.KeyGeneration;

/// <summary>
/// Generates one RSA key pair, nothing more: <see cref="KeyPool"/> decides when, under the
/// scheduler's slots. A seam of its own so tests can hold a generation open and count them
/// without depending on how fast the machine generates keys.
/// </summary>
public interface IRsaKeyGenerator
{
    /// <summary>A fresh key pair of <paramref name="size"/>, generated off the caller's thread.</summary>
    Task<RsaKeyPair> GenerateAsync(KeySize size);
}

/// <summary>.NET's RSA (OpenSSL on Linux), public exponent 65537.</summary>
public sealed class RsaKeyGenerator : IRsaKeyGenerator
{
    /// <inheritdoc />
    // On a thread-pool thread: RSA generation is hundreds of milliseconds of CPU and cannot be
    // interrupted, so it must not run on a request's thread.
    public Task<RsaKeyPair> GenerateAsync(KeySize size) => Task.Run(() =>
    {
        using var rsa = RSA.Create(size.Bits);
        return new RsaKeyPair(size, rsa.ExportSubjectPublicKeyInfo(), rsa.ExportPkcs8PrivateKey());
    });
}
