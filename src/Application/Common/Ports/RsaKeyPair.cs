using System.Security.Cryptography;
using CryptoSecure.Domain;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>A freshly generated RSA key pair; the private half is wiped on dispose.</summary>
[Secret]
public sealed class RsaKeyPair : IDisposable
{
    private readonly byte[] _privateKeyPkcs8;
    private bool _disposed;

    /// <summary>Takes ownership of <paramref name="privateKeyPkcs8"/>.</summary>
    public RsaKeyPair(KeySize size, byte[] publicKey, byte[] privateKeyPkcs8)
    {
        Size = size;
        PublicKey = publicKey;
        _privateKeyPkcs8 = privateKeyPkcs8;
    }

    /// <summary>Modulus size.</summary>
    public KeySize Size { get; }

    /// <summary>SubjectPublicKeyInfo DER.</summary>
    public byte[] PublicKey { get; }

    /// <summary>PKCS#8 PrivateKeyInfo DER.</summary>
    public ReadOnlySpan<byte> PrivateKeyPkcs8
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _privateKeyPkcs8;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_privateKeyPkcs8);
        _disposed = true;
    }

    /// <inheritdoc />
    public override string ToString() => $"RsaKeyPair({Size})";
}
