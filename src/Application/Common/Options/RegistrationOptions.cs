using System.ComponentModel.DataAnnotations;

namespace CryptoSecure.Application.Common.Options;

/// <summary>Registration settings (section "Registration"): how an address is proven.</summary>
public sealed class RegistrationOptions : IValidatableObject
{
    public const string SectionName = "Registration";

    /// <summary>How long a registration stays pending (<see cref="VerificationHours"/>).</summary>
    public TimeSpan VerificationWindow => TimeSpan.FromHours(VerificationHours);

    /// <summary>Required: an identity is invisible to all but its owner until its mailbox proves it. Off: usable at once.</summary>
    public EmailVerificationMode EmailVerification { get; set; } = EmailVerificationMode.Required;

    /// <summary>Hours an unverified registration (and its code) lives before it is destroyed.</summary>
    public int VerificationHours { get; set; } = 24;

    /// <summary>Mails to one address per hour, whatever RateLimiting says: it protects the mailbox.</summary>
    public int MailsPerAddressPerHour { get; set; } = 3;

    /// <summary>Minutes a mailed recovery code stays valid.</summary>
    public int RecoveryCodeMinutes { get; set; } = 60;

    /// <summary>Minutes between sweeps that destroy unverified registrations past their VerificationHours.</summary>
    public int SweepMinutes { get; set; } = 10;

    /// <summary>The longest sweep period (a week).</summary>
    public const int MaxSweepMinutes = 7 * 24 * 60;

    /// <summary>What identities registered before verification existed may do.</summary>
    public ExistingIdentitiesMode ExistingIdentities { get; set; } = ExistingIdentitiesMode.Usable;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (VerificationHours < 1)
        {
            yield return new ValidationResult("Registration:VerificationHours must be at least 1.", [nameof(VerificationHours)]);
        }

        if (RecoveryCodeMinutes < 1)
        {
            yield return new ValidationResult("Registration:RecoveryCodeMinutes must be at least 1.", [nameof(RecoveryCodeMinutes)]);
        }

        if (SweepMinutes is < 1 or > MaxSweepMinutes)
        {
            yield return new ValidationResult($"Registration:SweepMinutes must be between 1 and {MaxSweepMinutes} (a week).", [nameof(SweepMinutes)]);
        }

        if (MailsPerAddressPerHour < 1)
        {
            yield return new ValidationResult("Registration:MailsPerAddressPerHour must be at least 1.", [nameof(MailsPerAddressPerHour)]);
        }
    }
}

/// <summary>Whether registrations must prove their address.</summary>
public enum EmailVerificationMode
{
    Required,
    Off,
}

/// <summary>Identities from before email verification existed.</summary>
public enum ExistingIdentitiesMode
{
    /// <summary>They stay usable (<c>emailVerified: false</c>) and may be verified through the same routes.</summary>
    Usable,

    /// <summary>They are hidden like a pending registration until their owner verifies them.</summary>
    RequireVerification,
}
