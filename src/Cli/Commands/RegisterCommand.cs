using System.CommandLine;
using System.Globalization;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>register EMAIL [--key-size N] [--exportable|--not-exportable] [--save]</c>: POST /api/v1/users.</summary>
internal static class RegisterCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var keySize = new Option<int?>("--key-size") { Description = "RSA key size: 2048, 3072 or 4096 (default: the server's)." };
        var exportable = new Option<bool>("--exportable") { Description = "Allow the private key to be exported." };
        var notExportable = new Option<bool>("--not-exportable") { Description = "Never allow the private key to be exported." };
        var save = new Option<bool>("--save")
        {
            Description = "Save the new API key in the credentials file (0600) instead of printing it; later commands read it from there.",
        };
        var command = new Command("register", "Register an identity: an RSA key ring and its API key (shown once, or saved with --save).")
        {
            email, keySize, exportable, notExportable, save,
        };
        return command.Runs(async (run, cancellationToken) =>
        {
            if (run.Get(exportable) && run.Get(notExportable))
            {
                throw CliException.Usage("Give --exportable or --not-exportable, not both.");
            }

            bool? exportChoice = run.Get(exportable) ? true : run.Get(notExportable) ? false : null;
            var answer = await run.PublicClient().RegisterUserAsync(
                new RegisterUserRequest { Email = run.Required(email), KeySize = run.Get(keySize), Exportable = exportChoice },
                cancellationToken);

            string keyLine;
            if (run.Get(save))
            {
                run.Credentials.Save(run.Server, answer.Email, answer.ApiKey);
                keyLine = $"API key:      saved in {run.Credentials.FilePath}";
                answer.ApiKey = null!;
            }
            else
            {
                keyLine = $"API key:      {answer.ApiKey}\n              (shown only now: keep it, or register with --save next time)";
            }

            await run.WriteResultAsync(answer, () => string.Create(CultureInfo.InvariantCulture, $"""
                Registered:   {answer.Email}
                Key version:  {answer.KeyVersion} (RSA-{answer.KeySize})
                Exportable:   {(answer.Exportable ? "yes" : "no")}
                Created:      {answer.CreatedAt:u}
                {keyLine}

                """), cancellationToken);
            return ExitCodes.Success;
        });
    }
}
