using System.CommandLine;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>config EMAIL --min-decryption-version N</c>: PUT /api/v1/users/{email}/keys/config (owner).</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var minimum = new Option<int>("--min-decryption-version")
        {
            Description = "Lowest key version still allowed to decrypt and export (1 to the latest).",
            Required = true,
        };
        var command = new Command("config", "Change an identity's key ring settings (owner).") { email, minimum };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            var ring = await run.OwnerClient(address).ConfigureKeysAsync(address, new KeyConfigRequest { MinDecryptionVersion = run.Get(minimum) }, cancellationToken);
            await run.WriteResultAsync(ring, () => KeysCommand.Describe(ring), cancellationToken);
            return ExitCodes.Success;
        });
    }
}
