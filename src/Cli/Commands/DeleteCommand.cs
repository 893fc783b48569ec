using System.CommandLine;
using System.Globalization;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>delete EMAIL [--yes] [--purge]</c>: DELETE /api/v1/users/{email}[?purge=true] (owner; --purge admin).</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (required when stdin is not a terminal)." };
        var purge = new Option<bool>("--purge")
        {
            Description = "Destroy the keys now, without the server's waiting period (admin key only).",
        };
        var command = new Command("delete", "Delete an identity: disabled at once and its keys destroyed after the server's waiting period (restore cancels it until then), or at once with --purge (admin). What was encrypted to it can then never be decrypted.")
        {
            email, yes, purge,
        };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            var now = run.Get(purge);
            if (!run.Get(yes))
            {
                if (!run.Console.InputIsTerminal)
                {
                    throw CliException.Usage($"delete {(now ? "destroys the keys of" : "disables and later destroys the keys of")} {address}: pass --yes to confirm (stdin is not a terminal to ask on).");
                }

                await run.Console.Error.WriteAsync($"Delete {address}{(now ? " and destroy its keys now" : string.Empty)}? Type the address to confirm: ");
                if (!string.Equals(run.Console.ReadLine()?.Trim(), address.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    throw CliException.Usage("Not confirmed; nothing was deleted.");
                }
            }

            var scheduled = await run.OwnerClient(address).DeleteIdentityAsync(address, now, cancellationToken);
            if (scheduled is null)
            {
                await run.WriteResultAsync(new { email = address, deleted = true }, () => $"Deleted {address}: its keys are destroyed.\n", cancellationToken);
            }
            else
            {
                await run.WriteResultAsync(scheduled, () => string.Create(CultureInfo.InvariantCulture, $"Deletion of {scheduled.Email} scheduled: it is disabled now and its keys are destroyed at {scheduled.DeletesAt:u}.\nUntil then, \"cryptosecure restore {scheduled.Email}\" cancels it.\n"), cancellationToken);
            }

            return ExitCodes.Success;
        });
    }
}
