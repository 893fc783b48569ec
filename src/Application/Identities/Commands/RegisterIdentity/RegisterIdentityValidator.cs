using CryptoSecure.Application.Common.Validation;
using FluentValidation;

namespace CryptoSecure.Application.Identities.Commands.RegisterIdentity;
public sealed class RegisterIdentityValidator : AbstractValidator<RegisterIdentity>
{
    public RegisterIdentityValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.KeySize).SupportedKeySize();
    }
}
