namespace CryptoSecure.Domain.Encryption;

/// <summary>
/// A ciphertext as a client hands it in or gets it back: a JWE compact string, or standard base64
/// of raw RSA-OAEP bytes. (The prototype's hex is its routes' business: they convert at the edge.)
/// </summary>
[Secret]
public abstract class Ciphertext
{
    private protected Ciphertext()
    {
    }

    /// <summary>How it was made.</summary>
    public abstract CiphertextFormat Format { get; }

    /// <summary>Its text form: the JWE compact serialization, or standard base64 of the raw bytes.</summary>
    public abstract string Encode();

    /// <summary>
    /// Reads a ciphertext: a string with four dots is a JWE, anything else must be base64 of raw
    /// RSA-OAEP. False for anything malformed, without saying why: a decrypting caller answers
    /// every failure alike.
    /// </summary>
    public static bool TryParse(string? text, out Ciphertext? ciphertext)
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

        // MemoryExtensions.Count is vectorised; LINQ's Count called a delegate per character, and a
        // JWE of 1 KiB has about 1,800 of them (measured at 4% of a decryption's CPU).
        if (text.AsSpan().Count('.') == 4)
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
    public override string Encode() => Compact;

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
    public override string Encode() => Convert.ToBase64String(_bytes);

    /// <inheritdoc />
    public override string ToString() => $"RsaOaepCiphertext({_bytes.Length} bytes)";
}
