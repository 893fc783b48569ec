using System.CommandLine;
using System.Text;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>export EMAIL [--version N] [--use enc|sig]</c>: GET /api/v1/users/{email}/keys/private (owner).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var version = new Option<int?>("--version") { Description = "The key version (default: the latest)." };
        var use = new Option<string?>("--use") { Description = "Which key of the version: enc (default) or sig." };
        use.AcceptOnlyFromAmong("enc", "sig");
        var command = new Command("export", "Export a private key as PKCS#8 PEM (owner; only for identities registered exportable). With --out, the file is created 0600.")
        {
            email, version, use,
        };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            var key = await run.OwnerClient(address).ExportPrivateKeyAsync(address, run.Get(version), run.Get(use), cancellationToken);
            if (run.Json)
            {
                await run.WriteResultAsync(key, () => string.Empty, cancellationToken);
            }
            else
            {
                await run.WriteBytesAsync(Encoding.ASCII.GetBytes(key.PrivateKeyPem.TrimEnd() + "\n"), cancellationToken);
            }

            return ExitCodes.Success;
        });
    }
}
