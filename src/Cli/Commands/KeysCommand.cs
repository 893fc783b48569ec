using System.CommandLine;
using System.Globalization;
using System.Text;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>keys EMAIL [--pem [--version N]]</c>: GET /api/v1/users/{email}/keys.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var pem = new Option<bool>("--pem") { Description = "Print the encryption public key (PEM) of one version instead of the summary." };
        var version = new Option<int?>("--version") { Description = "With --pem: the version (default: the latest)." };
        var command = new Command("keys", "Show an identity's key ring (public keys), or one public key as PEM.") { email, pem, version };
        return command.Runs(async (run, cancellationToken) =>
        {
            var ring = await run.PublicClient().GetPublicKeysAsync(run.Required(email), cancellationToken);
            if (run.Get(pem))
            {
                var wanted = run.Get(version) ?? ring.LatestVersion;
                var key = ring.Keys.FirstOrDefault(k => k.Version == wanted)
                    ?? throw new CliException(ExitCodes.NotFound, $"{ring.Email} has no key version {wanted} (versions 1 to {ring.LatestVersion}).");
                await run.WriteBytesAsync(Encoding.ASCII.GetBytes(key.PublicKeyPem.TrimEnd() + "\n"), cancellationToken);
                return ExitCodes.Success;
            }

            await run.WriteResultAsync(ring, () => Describe(ring), cancellationToken);
            return ExitCodes.Success;
        });
    }

    /// <summary>A key ring as people read it (also after rotate and config).</summary>
    public static string Describe(KeyRingResponse ring)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            Identity:                {ring.Email}
            Latest version:          {ring.LatestVersion}
            Min decryption version:  {ring.MinDecryptionVersion}
            Exportable:              {(ring.Exportable ? "yes" : "no")}

            VERSION  SIZE  CREATED               SIGNING KEY  KID

            """);
        foreach (var key in ring.Keys)
        {
            text.Append(CultureInfo.InvariantCulture, $"{key.Version,7}  {key.KeySize,4}  {key.CreatedAt:u}  {(key.SigningPublicKeyPem is null ? "no" : "yes"),-11}  {key.PublicKeyJwk.Kid}\n");
        }

        return text.ToString();
    }
}
