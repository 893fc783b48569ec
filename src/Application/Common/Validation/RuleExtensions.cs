using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using FluentValidation;

namespace CryptoSecure.Application.Common.Validation;

/// <summary>Rules shared by several use cases.</summary>
public static class RuleExtensions
{
    /// <summary>A valid email address (see <see cref="EmailAddress.TryParse"/>).</summary>
    public static IRuleBuilderOptionsConditions<T, string> ValidEmail<T>(this IRuleBuilder<T, string> rule) =>
        rule.Custom((value, context) =>
        {
            if (!EmailAddress.TryParse(value, out _, out var error))
            {
                context.AddFailure(error);
            }
        });

    /// <summary>Null, or a supported RSA key size.</summary>
    public static IRuleBuilderOptions<T, int?> SupportedKeySize<T>(this IRuleBuilder<T, int?> rule) =>
        rule.Must(bits => bits is null || KeySize.IsSupported(bits.Value))
            .WithMessage("keySize must be 2048, 3072 or 4096.");
}
