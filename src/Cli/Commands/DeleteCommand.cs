using System.CommandLine;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>delete EMAIL [--yes]</c>: DELETE /api/v1/users/{email} (owner).</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (required when stdin is not a terminal)." };
        var command = new Command("delete", "Delete an identity and destroy its keys: what was encrypted to it can no longer be decrypted (owner).") { email, yes };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            if (!run.Get(yes))
            {
                if (!run.Console.InputIsTerminal)
                {
                    throw CliException.Usage($"delete destroys the keys of {address}: pass --yes to confirm (stdin is not a terminal to ask on).");
                }

                await run.Console.Error.WriteAsync($"Delete {address} and destroy its keys? Type the address to confirm: ");
                if (!string.Equals(run.Console.ReadLine()?.Trim(), address.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    throw CliException.Usage("Not confirmed; nothing was deleted.");
                }
            }

            var scheduled = await run.OwnerClient(address).DeleteIdentityAsync(address, cancellationToken: cancellationToken);
            if (scheduled is null)
            {
                await run.WriteResultAsync(new { email = address, deleted = true }, () => $"Deleted {address}.\n", cancellationToken);
            }
            else
            {
                await run.WriteResultAsync(scheduled, () => $"{address} is disabled and will be deleted at {scheduled.DeletesAt:u}; `cryptosecure restore {address}` cancels it.\n", cancellationToken);
            }

            return ExitCodes.Success;
        });
    }
}
