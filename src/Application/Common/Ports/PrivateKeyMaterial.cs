using System.Security.Cryptography;
using CryptoSecure.Domain;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>An opened private key (PKCS#8); wiped on dispose.</summary>
[Secret]
public sealed class PrivateKeyMaterial : IDisposable
{
    private readonly byte[] _pkcs8;

    /// <summary>Takes ownership of <paramref name="pkcs8"/>.</summary>
    public PrivateKeyMaterial(byte[] pkcs8) => _pkcs8 = pkcs8;

    /// <summary>PKCS#8 PrivateKeyInfo DER.</summary>
    public ReadOnlySpan<byte> Pkcs8 => _pkcs8;

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_pkcs8);

    /// <inheritdoc />
    public override string ToString() => "PrivateKeyMaterial(redacted)";
}
