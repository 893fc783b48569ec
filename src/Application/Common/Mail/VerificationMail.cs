using CryptoSecure.Domain;
using CryptoSecure.Domain.Identities;

namespace CryptoSecure.Application.Common.Mail;

/// <summary>A one-time code to mail.</summary>
/// <param name="To">The address it goes to (and the address it proves).</param>
/// <param name="Purpose">Why it is sent: the mail's subject and wording follow it.</param>
/// <param name="Code">The code in clear, only ever in memory and in the mail itself.</param>
/// <param name="ExpiresAt">When the code stops working; an unsent mail is dropped then.</param>
public sealed record VerificationMail(EmailAddress To, VerificationPurpose Purpose, [Secret] string Code, DateTimeOffset ExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() => $"VerificationMail({Purpose}, code redacted)";
}
