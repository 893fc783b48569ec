using System.CommandLine;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>jwks EMAIL</c>: GET /api/v1/users/{email}/jwks (always JSON: it is a JSON document).</summary>
internal static class JwksCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var command = new Command("jwks", "Print an identity's JWK Set (RFC 7517), for JOSE libraries.") { email };
        return command.Runs(async (run, cancellationToken) =>
        {
            var set = await run.PublicClient().GetJsonWebKeySetAsync(run.Required(email), cancellationToken);
            await run.WriteResultAsync(set, () => Invocation.ToJson(set) + "\n", cancellationToken);
            return ExitCodes.Success;
        });
    }
}
