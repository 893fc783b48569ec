using System.ComponentModel.DataAnnotations;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.Common.Options;

/// <summary>Key settings (section "Keys").</summary>
public sealed class KeyOptions : IValidatableObject
{
    public const string SectionName = "Keys";

    /// <summary>RSA size for registrations and rotations that name none: 2048, 3072 or 4096.</summary>
    public int DefaultKeySize { get; set; } = 3072;

    /// <summary>Whether identities registered without "exportable" allow private-key export.</summary>
    public bool ExportableByDefault { get; set; } = true;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!KeySize.IsSupported(DefaultKeySize))
        {
            yield return new ValidationResult("Keys:DefaultKeySize must be 2048, 3072 or 4096.", [nameof(DefaultKeySize)]);
        }
    }
}
