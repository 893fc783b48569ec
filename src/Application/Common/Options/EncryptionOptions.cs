using System.ComponentModel.DataAnnotations;

namespace CryptoSecure.Application.Common.Options;

/// <summary>Encryption settings (section "Encryption").</summary>
public sealed class EncryptionOptions
{
    public const string SectionName = "Encryption";

    /// <summary>Largest plaintext accepted for JWE encryption, in bytes (default 1 MiB).</summary>
    [Range(1, 64 * 1024 * 1024)]
    public int MaxPlaintextBytes { get; set; } = 1024 * 1024;
}
