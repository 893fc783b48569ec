using System.CommandLine;
using System.Globalization;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary>
/// <c>verify-email EMAIL [CODE]</c>: POST /api/v1/users/{email}/email-verification (owner), and
/// <c>verify-email --resend EMAIL</c>: POST .../email-verification/resend (owner).
/// </summary>
internal static class VerifyEmailCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var code = new Argument<string?>("code")
        {
            Description = "The code from the mail (its \"Code: \" line). When absent, read from stdin, which keeps it out of the process list.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var resend = new Option<bool>("--resend") { Description = "Mail a new code instead (the previous codes stop working)." };
        var command = new Command("verify-email", "Prove the identity's address is yours with the code mailed to it, or have a new code mailed (owner).")
        {
            email, code, resend,
        };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            var client = run.OwnerClient(address);
            if (run.Get(resend))
            {
                if (run.Get(code) is not null)
                {
                    throw CliException.Usage("--resend mails a new code: give the code, or --resend, not both.");
                }

                var pending = await client.ResendEmailVerificationAsync(address, cancellationToken);
                await run.WriteResultAsync(pending, () => string.Create(CultureInfo.InvariantCulture, $"A new code was mailed to {address}; it works until {pending.VerificationExpiresAt:u}.\nThen: cryptosecure verify-email {address} CODE\n"), cancellationToken);
                return ExitCodes.Success;
            }

            var given = await Codes.ReadAsync(run, run.Get(code), "verify-email EMAIL CODE", cancellationToken);
            var answer = await client.VerifyEmailAsync(address, new EmailVerificationRequest { Code = given }, cancellationToken);
            await run.WriteResultAsync(answer, () => $"Verified: {address} is now usable by everyone (encrypt, keys, verify).\n", cancellationToken);
            return ExitCodes.Success;
        });
    }
}
