using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// Builds compact JWEs by hand (RFC 7516 §5.1) with any protected header, so that a test can show a
/// header is refused for itself: everything else about the token is well-formed and decryptable.
/// </summary>
internal static class JweCrafter
{
    /// <summary>The header <see cref="CryptoSecure.Infrastructure.Crypto.JweCompact"/> writes, minus the kid.</summary>
    public const string CanonicalHeader = """{"alg":"RSA-OAEP-256","enc":"A256GCM"}""";

    /// <summary>A JWE with <paramref name="headerJson"/> as its protected header.</summary>
    /// <param name="headerJson">Header text, used verbatim (UTF-8).</param>
    /// <param name="plaintext">Content.</param>
    /// <param name="recipient">RSA key the CEK is encrypted to.</param>
    /// <param name="keyPadding">How the CEK is encrypted; RSA-OAEP-256 by default.</param>
    /// <param name="cekBytes">CEK length: 32 for A256GCM, 16 for A128GCM.</param>
    public static string Craft(string headerJson, ReadOnlySpan<byte> plaintext, RSA recipient, RSAEncryptionPadding? keyPadding = null, int cekBytes = 32) =>
        Craft(Encoding.UTF8.GetBytes(headerJson), plaintext, recipient, keyPadding, cekBytes);

    /// <summary>A JWE whose protected header is the raw bytes <paramref name="header"/>.</summary>
    public static string Craft(byte[] header, ReadOnlySpan<byte> plaintext, RSA recipient, RSAEncryptionPadding? keyPadding = null, int cekBytes = 32)
    {
        var encodedHeader = Base64Url.EncodeToString(header);
        var cek = RandomNumberGenerator.GetBytes(cekBytes);
        var encryptedKey = recipient.Encrypt(cek, keyPadding ?? RSAEncryptionPadding.OaepSHA256);
        var iv = RandomNumberGenerator.GetBytes(12);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(cek, tag.Length))
        {
            aes.Encrypt(iv, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(encodedHeader));
        }

        return string.Join('.', encodedHeader, Base64Url.EncodeToString(encryptedKey), Base64Url.EncodeToString(iv), Base64Url.EncodeToString(ciphertext), Base64Url.EncodeToString(tag));
    }

    /// <summary><paramref name="compact"/> with the character at <paramref name="index"/> of part <paramref name="part"/> changed.</summary>
    public static string FlipCharacter(string compact, int part, int index)
    {
        var parts = compact.Split('.');
        var chars = parts[part].ToCharArray();
        chars[index] = chars[index] == 'A' ? 'B' : 'A';
        parts[part] = new string(chars);
        return string.Join('.', parts);
    }

    /// <summary><paramref name="compact"/> with part <paramref name="part"/> replaced.</summary>
    public static string ReplacePart(string compact, int part, Func<string, string> replace)
    {
        var parts = compact.Split('.');
        parts[part] = replace(parts[part]);
        return string.Join('.', parts);
    }
}
