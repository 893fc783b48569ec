namespace CryptoSecure.Api.Limits;

/// <summary>Request body limit (section "Limits").</summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>
    /// Room for JSON around the value (field names, format, email) beyond the worst-case encoding
    /// of the largest plaintext.
    /// </summary>
    public const int JsonOverheadBytes = 64 * 1024;

    /// <summary>
    /// Largest request body in bytes. Default: 8 × <c>Encryption:MaxPlaintextBytes</c> + 64 KiB, so
    /// that any plaintext within its limit is accepted however valid JSON writes it: base64 is 4/3
    /// of the bytes, and a JSON encoder may write each of its characters as a six-byte \uXXXX escape
    /// (text is at most 6 bytes per byte: \u0061 for "a").
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1024, long.MaxValue)]
    public long? MaxRequestBodyBytes { get; set; }

    /// <summary>The effective limit for a plaintext limit of <paramref name="maxPlaintextBytes"/>.</summary>
    public long EffectiveMaxRequestBodyBytes(int maxPlaintextBytes) =>
        MaxRequestBodyBytes ?? ((long)maxPlaintextBytes * 8) + JsonOverheadBytes;
}
