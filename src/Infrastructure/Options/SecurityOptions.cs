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
