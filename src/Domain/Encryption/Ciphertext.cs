namespace CryptoSecure.Domain.Encryption;

/// <summary>How a raw RSA-OAEP ciphertext is written as text.</summary>
public enum CiphertextEncoding
{
    /// <summary>v1 API: a JWE compact string, or standard base64 of raw RSA-OAEP bytes.</summary>
    Standard,

    /// <summary>The prototype's routes: lowercase hex of raw RSA-OAEP bytes.</summary>
    Hex,
}

/// <summary>A ciphertext as a client hands it in or gets it back.</summary>
[Secret]
public abstract class Ciphertext
{
    private protected Ciphertext()
    {
    }

    /// <summary>How it was made.</summary>
    public abstract CiphertextFormat Format { get; }

    /// <summary>Its text form in <paramref name="encoding"/>.</summary>
    public abstract string Encode(CiphertextEncoding encoding);

    /// <summary>
    /// Reads a ciphertext: with <see cref="CiphertextEncoding.Standard"/> a string with four dots is
    /// a JWE, anything else must be base64 of raw RSA-OAEP; with <see cref="CiphertextEncoding.Hex"/>
    /// it must be hex. False for anything malformed, without saying why: a decrypting caller answers
    /// every failure alike.
    /// </summary>
    public static bool TryParse(string? text, CiphertextEncoding encoding, out Ciphertext? ciphertext)
    {
        ciphertext = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (encoding == CiphertextEncoding.Hex)
        {
            if (text.Length % 2 != 0 || !IsHex(text))
            {
                return false;
            }

            ciphertext = new RsaOaepCiphertext(Convert.FromHexString(text));
            return true;
        }

        if (text.Count(c => c == '.') == 4)
        {
            ciphertext = new JweCiphertext(text);
            return true;
        }

        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written == 0)
        {
            return false;
        }

        ciphertext = new RsaOaepCiphertext(buffer.AsSpan(0, written).ToArray());
        return true;
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A JWE in compact serialization.</summary>
public sealed class JweCiphertext : Ciphertext
{
    /// <summary>Wraps a compact serialization (five base64url parts joined by dots).</summary>
    public JweCiphertext(string compact) => Compact = compact;

    /// <summary>The compact serialization.</summary>
    public string Compact { get; }

    /// <inheritdoc />
    public override CiphertextFormat Format => CiphertextFormat.Jwe;

    /// <inheritdoc />
    public override string Encode(CiphertextEncoding encoding) => encoding == CiphertextEncoding.Standard
        ? Compact
        : throw new NotSupportedException("A JWE has only its compact serialization.");

    /// <inheritdoc />
    public override string ToString() => $"JweCiphertext({Compact.Length} chars)";
}

/// <summary>Raw RSA-OAEP-SHA256 bytes (one modulus long).</summary>
public sealed class RsaOaepCiphertext : Ciphertext
{
    private readonly byte[] _bytes;

    /// <summary>Wraps raw ciphertext bytes.</summary>
    public RsaOaepCiphertext(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        _bytes = bytes;
    }

    /// <summary>The ciphertext bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <inheritdoc />
    public override CiphertextFormat Format => CiphertextFormat.RsaOaep;

    /// <inheritdoc />
    public override string Encode(CiphertextEncoding encoding) => encoding == CiphertextEncoding.Hex
        ? Convert.ToHexStringLower(_bytes)
        : Convert.ToBase64String(_bytes);

    /// <inheritdoc />
    public override string ToString() => $"RsaOaepCiphertext({_bytes.Length} bytes)";
}
