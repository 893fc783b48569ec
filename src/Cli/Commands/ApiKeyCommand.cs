using System.CommandLine;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>api-key rotate EMAIL [--save]</c>: POST /api/v1/users/{email}/api-key/rotate (owner).</summary>
internal static class ApiKeyCommand
{
    public static Command Create()
    {
        var command = new Command("api-key", "The identity's API key.");
        var email = Arguments.Email();
        var save = new Option<bool>("--save") { Description = "Save the new API key in the credentials file (replacing the old one) instead of printing it." };
        var rotate = new Command("rotate", "Replace the API key: the new one is shown once (or saved with --save), the old one stops working at once (owner).") { email, save };
        command.Add(rotate.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            var client = run.OwnerClient(address);
            if (run.Get(save))
            {
                // Before the old key stops working: a file that cannot be written stops here.
                run.Credentials.Prepare();
            }

            var answer = await client.RotateApiKeyAsync(address, cancellationToken);
            await NewKeys.WriteAsync(run, address, answer.ApiKey, run.Get(save), "New key for", cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }
}
