using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Encryption.Common;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>The service's decryptor for crypto tests: behind a real gate with room for everything, so nothing ever waits for a slot.</summary>
internal static class Decryptors
{
    // One set of private-key threads for every test, as the server has one; as many as the gate's slots.
    private static readonly PrivateKeyThreads Threads = new(64, nice: 0, NullLogger<PrivateKeyThreads>.Instance);

    public static KeyRingDecryptor Create(IKeyProtector protector, IPayloadCipher cipher) =>
        new(protector, cipher, new PrivateKeyGate(new CpuWorkScheduler(new CpuWorkLimits(64, 0, TimeSpan.FromMinutes(5), 0.5), TimeProvider.System, work: PrivateKeyCost.WorkKind), Threads));

    /// <summary>
    /// Decrypts synchronously: these tests are about the crypto, not the waiting. Blocking is safe:
    /// the operation runs on a private-key thread and completes on the thread pool.
    /// </summary>
    public static (byte[] Plaintext, int KeyVersion) Decrypt(this KeyRingDecryptor decryptor, Identity identity, Ciphertext ciphertext) =>
        decryptor.DecryptAsync(identity, ciphertext, "crypto-tests", CancellationToken.None).AsTask().GetAwaiter().GetResult();
}
