using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Encryption.Common;
using CryptoSecure.Domain.Encryption;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Infrastructure.Scheduling;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>The service's decryptor for crypto tests: behind a real gate with room for everything, so nothing ever waits.</summary>
internal static class Decryptors
{
    public static KeyRingDecryptor Create(IKeyProtector protector, IPayloadCipher cipher) =>
        new(protector, cipher, new PrivateKeyGate(new CpuWorkScheduler(new CpuWorkLimits(64, 0, TimeSpan.FromMinutes(5), 0.5), TimeProvider.System, work: PrivateKeyCost.WorkKind)));

    /// <summary>
    /// Decrypts synchronously. Safe here: a gate with free slots admits at once, so the task has
    /// completed before it is returned; these tests are about the crypto, not the waiting.
    /// </summary>
    public static (byte[] Plaintext, int KeyVersion) Decrypt(this KeyRingDecryptor decryptor, Identity identity, Ciphertext ciphertext)
    {
        var pending = decryptor.DecryptAsync(identity, ciphertext, "crypto-tests", CancellationToken.None);
        if (!pending.IsCompleted)
        {
            throw new InvalidOperationException("The gate made a crypto test wait.");
        }

        return pending.GetAwaiter().GetResult();
    }
}
