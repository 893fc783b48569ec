using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// API keys: "csk_" + base64url of 32 random bytes (256 bits, so a plain SHA-256 suffices for
/// storage: there is nothing to brute-force, unlike passwords).
/// </summary>
public sealed class ApiKeyIssuer : IApiKeyIssuer
{
    /// <summary>Prefix that marks a CryptoSecure key (and lets secret scanners find leaked ones).</summary>
    public const string Prefix = "csk_";

    /// <inheritdoc />
    public IssuedApiKey Issue()
    {
        Span<byte> secret = stackalloc byte[32];
        RandomNumberGenerator.Fill(secret);
        var key = Prefix + Base64Url.EncodeToString(secret);
        CryptographicOperations.ZeroMemory(secret);
        return new IssuedApiKey(key, Hash(key));
    }

    /// <inheritdoc />
    public ApiKeyHash Hash(ReadOnlySpan<char> presentedKey)
    {
        var utf8 = new byte[Encoding.UTF8.GetMaxByteCount(presentedKey.Length)];
        var length = Encoding.UTF8.GetBytes(presentedKey, utf8);
        var hash = SHA256.HashData(utf8.AsSpan(0, length));
        CryptographicOperations.ZeroMemory(utf8);
        return new ApiKeyHash(hash);
    }
}
