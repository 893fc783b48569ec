using CryptoSecure.Application.Common.Validation;
using FluentValidation;

namespace CryptoSecure.Application.Identities.Commands.RegisterIdentity;

/// <summary>Validates <see cref="RegisterIdentity"/>.</summary>
public sealed class RegisterIdentityValidator : AbstractValidator<RegisterIdentity>
{
    /// <summary>Defines the rules.</summary>
    public RegisterIdentityValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.KeySize).SupportedKeySize();
    }
}
