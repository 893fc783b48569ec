using System.CommandLine;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>rotate EMAIL [--key-size N]</c>: POST /api/v1/users/{email}/keys/rotate (owner).</summary>
internal static class RotateCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var keySize = new Option<int?>("--key-size") { Description = "Size of the new version: 2048, 3072 or 4096 (default: the server's)." };
        var command = new Command("rotate", "Add a key version; encryption uses it from now on, older versions still decrypt (owner).") { email, keySize };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            var ring = await run.OwnerClient(address).RotateKeyAsync(address, new RotateKeyRequest { KeySize = run.Get(keySize) }, cancellationToken);
            await run.WriteResultAsync(ring, () => KeysCommand.Describe(ring), cancellationToken);
            return ExitCodes.Success;
        });
    }
}
