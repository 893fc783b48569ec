using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Keys.Common;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Keys.Commands.ConfigureKeys;

/// <summary>
/// Sets the minimum decryption version (versions below it stop decrypting and exporting; it may be
/// raised or lowered again, never above the latest version) and the automatic rotation period.
/// Either may be left out to keep it as it is; at least one is given.
/// </summary>
/// <param name="Email">The address.</param>
/// <param name="MinDecryptionVersion">1..latest; null keeps it.</param>
/// <param name="AutoRotatePeriodSeconds">0 turns automatic rotation off; otherwise at least <c>Keys:AutoRotation:MinimumPeriodSeconds</c>; null keeps it.</param>
public sealed record ConfigureKeys(string Email, int? MinDecryptionVersion, long? AutoRotatePeriodSeconds = null) : ICommand<KeyRingView>, IOwnerOnly;

public sealed class ConfigureKeysHandler(IKeyStore store, IKeyFormatter formatter, AuditRecorder audit, IRequestContext request) : ICommandHandler<ConfigureKeys, KeyRingView>
{
    /// <inheritdoc />
    public async ValueTask<KeyRingView> Handle(ConfigureKeys command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identity = (await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false)).UsableBy(request);
        try
        {
            // The bound is checked against the ring of each attempt: after a lost race, against the
            // ring as it now is.
            var configured = await store.ChangeAsync(
                identity,
                current =>
                {
                    var min = command.MinDecryptionVersion ?? current.Keys.MinDecryptionVersion;
                    var period = command.AutoRotatePeriodSeconds switch
                    {
                        null => current.AutoRotatePeriod,
                        0 => null,
                        var seconds => TimeSpan.FromSeconds(seconds.Value),
                    };
                    return new IdentityChange(current.Configure(min, period), [audit.Create(current.Id, AuditAction.Configured, AuditOutcome.Success, min)]);
                },
                cancellationToken).ConfigureAwait(false);
            return KeyRingView.Of(configured, formatter);
        }
        catch (MinDecryptionVersionOutOfRangeException ex)
        {
            throw new ValidationException([new ValidationFailure(
                "minDecryptionVersion",
                $"minDecryptionVersion must lie between 1 and the latest version ({ex.LatestVersion}).")]);
        }
    }
}

public sealed class ConfigureKeysValidator : AbstractValidator<ConfigureKeys>
{
    /// <summary>The longest period accepted: ten years, so the next rotation's time stays representable.</summary>
    public const long MaximumPeriodSeconds = 315_360_000;

    public ConfigureKeysValidator(IOptions<KeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var minimum = options.Value.AutoRotation.MinimumPeriodSeconds;
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x).Must(x => x.MinDecryptionVersion is not null || x.AutoRotatePeriodSeconds is not null)
            .OverridePropertyName("minDecryptionVersion")
            .WithMessage("minDecryptionVersion or autoRotatePeriodSeconds is required.");
        RuleFor(x => x.MinDecryptionVersion).GreaterThanOrEqualTo(1).When(x => x.MinDecryptionVersion is not null)
            .WithMessage("minDecryptionVersion must be 1 or greater.");
        RuleFor(x => x.AutoRotatePeriodSeconds)
            .Must(p => p is null or 0 || (p >= minimum && p <= MaximumPeriodSeconds))
                        .WithMessage($"autoRotatePeriodSeconds must be 0 (off) or between {minimum} (Keys:AutoRotation:MinimumPeriodSeconds) and {MaximumPeriodSeconds} seconds.");
    }
}
