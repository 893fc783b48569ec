using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>Seals private keys under the master key and opens them again.</summary>
public interface IKeyProtector
{
    /// <summary>Seals <paramref name="privateKeyPkcs8"/>, bound to <paramref name="binding"/>.</summary>
    SealedPrivateKey Seal(ReadOnlySpan<byte> privateKeyPkcs8, KeyBinding binding);

    /// <summary>Opens a sealed key.</summary>
    /// <exception cref="KeyIntegrityException">It was altered, moved to another binding, or sealed under another master key.</exception>
    PrivateKeyMaterial Unseal(SealedPrivateKey sealedKey, KeyBinding binding);
}
