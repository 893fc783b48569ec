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
            if (run.Get(save))
            {
                // Before registering: the key is shown once, so a file that cannot be written must
                // stop the command while nothing has happened yet.
                run.Credentials.Prepare();
            }

            var answer = await run.PublicClient().RegisterUserAsync(
                new RegisterUserRequest { Email = run.Required(email), KeySize = run.Get(keySize), Exportable = exportChoice },
                cancellationToken);

            var keyLine = KeyLine(run, run.Get(save), answer.Email, answer.ApiKey, "register with --save next time");
            if (keyLine.Saved)
            {
                answer.ApiKey = null!;
            }

            await run.WriteResultAsync(answer, () => string.Create(CultureInfo.InvariantCulture, $"""
                Registered:   {answer.Email}
                Key version:  {answer.KeyVersion} (RSA-{answer.KeySize})
                Exportable:   {(answer.Exportable ? "yes" : "no")}
                Created:      {answer.CreatedAt:u}
                {keyLine.Text}

                """), cancellationToken);
            return ExitCodes.Success;
        });
    }

    /// <summary>
    /// A new API key (register, recover, api-key rotate) saved in the credentials file with
    /// <paramref name="save"/>, else to be shown. When saving fails the key is shown after all, with
    /// a warning on stderr: the server shows a key once, and dropping it would lose the identity.
    /// </summary>
    public static (bool Saved, string Text) KeyLine(Invocation run, bool save, string email, string apiKey, string advice)
    {
        if (save)
        {
            try
            {
                run.Credentials.Save(run.Server, email, apiKey);
                return (true, $"API key:      saved in {run.Credentials.FilePath}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                run.Note($"cryptosecure: warning: the new API key could not be saved in {run.Credentials.FilePath} ({(e is UnauthorizedAccessException ? "permission denied" : e.Message.TrimEnd('.'))}): it is printed on stdout instead. Keep it; it is not shown again.");
            }
        }

        return (false, $"API key:      {apiKey}\n              (shown only now: keep it, or {advice})");
    }
}
