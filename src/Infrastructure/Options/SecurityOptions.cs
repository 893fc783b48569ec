namespace CryptoSecure.Infrastructure.Options;

/// <summary>Master key and administrator keys (section "Security").</summary>
public sealed class SecurityOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Security";

    /// <summary>Shortest admin key accepted at start-up.</summary>
    public const int MinAdminKeyLength = 32;

    /// <summary>Base64 of 32 random bytes (for example from the environment variable <c>Security__MasterKey</c>).</summary>
    public string? MasterKey { get; set; }

    /// <summary>Path of a file holding the base64 master key (for example a mounted secret).</summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>
    /// Master keys that still open older records while they are re-sealed under <see cref="MasterKey"/>
    /// (base64 of 32 bytes each, like it); remove them once <c>GET /api/v1/admin/master-key</c> says complete.
    /// </summary>
    public IList<string> PreviousMasterKeys { get; } = [];

    /// <summary>Paths of files each holding a previous master key (like <see cref="MasterKeyFile"/>).</summary>
    public IList<string> PreviousMasterKeyFiles { get; } = [];

    /// <summary>Administrator API keys; kept only as SHA-256 hashes in memory.</summary>
    public IList<string> AdminApiKeys { get; } = [];

    /// <inheritdoc />
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (AdminApiKeys.Any(k => !string.IsNullOrWhiteSpace(k) && k.Trim().Length < MinAdminKeyLength))
        {
            yield return new System.ComponentModel.DataAnnotations.ValidationResult(
                $"Every Security:AdminApiKeys entry must be at least {MinAdminKeyLength} characters of random text (for example: openssl rand -base64 32).");
        }
    }

    /// <inheritdoc />
    public override string ToString() => "SecurityOptions(redacted)";
}
