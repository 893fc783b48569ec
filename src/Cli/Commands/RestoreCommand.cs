using System.CommandLine;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>restore EMAIL</c>: POST /api/v1/users/{email}/restore (owner or admin), cancelling a pending deletion.</summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var command = new Command("restore", "Cancel an identity's pending deletion (during the waiting period after delete): it works again as before (owner).") { email };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            var ring = await run.OwnerClient(address).RestoreUserAsync(address, cancellationToken);
            await run.WriteResultAsync(ring, () => $"Restored {address}: its deletion is cancelled.\n\n" + KeysCommand.Describe(ring), cancellationToken);
            return ExitCodes.Success;
        });
    }
}
