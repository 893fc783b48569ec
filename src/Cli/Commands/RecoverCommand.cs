using System.CommandLine;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary>
/// <c>recover EMAIL</c>: POST /api/v1/users/{email}/recovery (public), which mails a code; and
/// <c>recover EMAIL --code CODE [--save]</c>: POST .../recovery/complete, a new API key.
/// </summary>
internal static class RecoverCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var code = new Option<string?>("--code")
        {
            Description = "The code from the recovery mail: gets a new API key (the old one stops working). \"-\" reads it from stdin.",
            HelpName = "code",
        };
        var save = new Option<bool>("--save") { Description = "With --code: save the new API key in the credentials file instead of printing it." };
        var command = new Command("recover", "Recover a verified identity whose API key was lost: mails a code to the address; then --code CODE gives a new key (public).")
        {
            email, code, save,
        };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            if (!run.Given(code))
            {
                if (run.Get(save))
                {
                    throw CliException.Usage("--save goes with --code: first \"cryptosecure recover EMAIL\" mails a code, then \"cryptosecure recover EMAIL --code CODE --save\".");
                }

                await run.PublicClient().RequestRecoveryAsync(address, cancellationToken);
                await run.WriteResultAsync(new { email = address, requested = true }, () => $"If {address} is a verified identity, a recovery code was mailed to it.\nThen: cryptosecure recover {address} --code CODE [--save]\n", cancellationToken);
                return ExitCodes.Success;
            }

            var given = await Codes.ReadAsync(run, run.Get(code), "recover EMAIL --code CODE", cancellationToken);
            if (run.Get(save))
            {
                // Before the old key stops working: a file that cannot be written stops here.
                run.Credentials.Prepare();
            }

            var answer = await run.PublicClient().CompleteRecoveryAsync(address, new RecoveryCompleteRequest { Code = given }, cancellationToken);
            await NewKeys.WriteAsync(run, address, answer.ApiKey, run.Get(save), "Recovered", cancellationToken);
            return ExitCodes.Success;
        });
    }
}
