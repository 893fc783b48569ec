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

    /// <summary>
    /// Days a deleted identity stays disabled (and restorable) before it is crypto-shredded; 0 deletes
    /// at once, as the first release did. 0..90.
    /// </summary>
    [Range(0, 90)]
    public int DeletionWaitingDays { get; set; } = 7;

    /// <summary>How often a node checks the store for identities whose waiting period has passed, 1..3600.</summary>
    [Range(1, 3600)]
    public int DeletionCheckIntervalSeconds { get; set; } = 60;

    /// <summary>Automatic rotation (section "Keys:AutoRotation").</summary>
    public AutoRotationOptions AutoRotation { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!KeySize.IsSupported(DefaultKeySize))
        {
            yield return new ValidationResult("Keys:DefaultKeySize must be 2048, 3072 or 4096.", [nameof(DefaultKeySize)]);
        }
    }
}

/// <summary>Automatic rotation settings (section "Keys:AutoRotation").</summary>
public sealed class AutoRotationOptions
{
    /// <summary>The shortest <c>autoRotatePeriodSeconds</c> an identity may set: 60 seconds to 10 years.</summary>
    [Range(60, 315_360_000)]
    public int MinimumPeriodSeconds { get; set; } = 3600;

    /// <summary>How often a node checks the store for key rings due for rotation, 1..3600.</summary>
    [Range(1, 3600)]
    public int CheckIntervalSeconds { get; set; } = 60;
}
