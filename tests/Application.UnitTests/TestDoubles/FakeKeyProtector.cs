using System.Text;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.UnitTests.TestDoubles;

/// <summary>
/// "Seals" by prefixing the binding, so opening under any other binding fails as the real AES-GCM
/// associated-data check does. Hand-written because Moq cannot match span arguments.
/// </summary>
internal sealed class FakeKeyProtector : IKeyProtector
{
    /// <summary>The binding of every Seal call, in order.</summary>
    public List<KeyBinding> SealedFor { get; } = [];

    /// <summary>The binding of every Unseal call, in order.</summary>
    public List<KeyBinding> UnsealedFor { get; } = [];

    /// <summary>The private-key buffers handed out by Unseal, to check that callers wipe them.</summary>
    public List<byte[]> OpenedKeys { get; } = [];

    public static SealedPrivateKey SealUnder(KeyBinding binding, ReadOnlySpan<byte> privateKeyPkcs8) =>
        new([.. Prefix(binding), .. privateKeyPkcs8]);

    public SealedPrivateKey Seal(ReadOnlySpan<byte> privateKeyPkcs8, KeyBinding binding)
    {
        SealedFor.Add(binding);
        return SealUnder(binding, privateKeyPkcs8);
    }

    public PrivateKeyMaterial Unseal(SealedPrivateKey sealedKey, KeyBinding binding)
    {
        UnsealedFor.Add(binding);
        var prefix = Prefix(binding);
        if (!sealedKey.Bytes.StartsWith(prefix))
        {
            throw new KeyIntegrityException();
        }

        var pkcs8 = sealedKey.Bytes[prefix.Length..].ToArray();
        OpenedKeys.Add(pkcs8);
        return new PrivateKeyMaterial(pkcs8);
    }

    /// <summary>What a key sealed under <paramref name="binding"/> opens to, or null when it is bound elsewhere.</summary>
    public static byte[]? OpenedContent(SealedPrivateKey sealedKey, KeyBinding binding)
    {
        var prefix = Prefix(binding);
        return sealedKey.Bytes.StartsWith(prefix) ? sealedKey.Bytes[prefix.Length..].ToArray() : null;
    }

    private static byte[] Prefix(KeyBinding binding) =>
        Encoding.UTF8.GetBytes($"sealed:{binding.Purpose}:{binding.IdentityId:N}:{binding.NormalizedEmail}:{binding.Version}:");
}
