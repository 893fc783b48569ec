using System.CommandLine;
using System.Security.Cryptography;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>sign EMAIL [FILE] [--format jws|raw] [--algorithm PS256|RS256] [--digest]</c>: POST /api/v1/users/{email}/sign (owner).</summary>
internal static class SignCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var file = Arguments.InputFile("data to sign");
        var format = new Option<string?>("--format") { Description = "jws (default; the payload attached) or raw (base64 signature over the SHA-256 of the data)." };
        format.AcceptOnlyFromAmong("jws", "raw");
        var algorithm = Algorithm();
        var digest = new Option<bool>("--digest")
        {
            Description = "Send only the SHA-256 of the data, computed here (for large files; needs --format raw).",
        };
        var command = new Command("sign", "Sign data with the identity's signing key (owner). Prints the signature.") { email, file, format, algorithm, digest };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            var request = new SignRequest { Format = run.Get(format), Algorithm = run.Get(algorithm) };
            if (run.Get(digest))
            {
                if (run.Get(format) != "raw")
                {
                    throw CliException.Usage("--digest signs the SHA-256 of the data, which only the raw format does: add --format raw.");
                }

                request.DigestBase64 = await DigestAsync(run, run.Get(file), cancellationToken);
            }
            else
            {
                request.PayloadBase64 = Convert.ToBase64String(await run.ReadAllInputAsync(run.Get(file), cancellationToken));
            }

            var answer = await run.OwnerClient(address).SignAsync(address, request, cancellationToken);
            await run.WriteResultAsync(answer, () => answer.Signature + "\n", cancellationToken);
            return ExitCodes.Success;
        });
    }

    public static Option<string?> Algorithm()
    {
        var algorithm = new Option<string?>("--algorithm") { Description = "PS256 (default; RSASSA-PSS) or RS256 (PKCS#1 v1.5)." };
        algorithm.AcceptOnlyFromAmong("PS256", "RS256");
        return algorithm;
    }

    /// <summary>The SHA-256 of the input (streamed), base64.</summary>
    public static async Task<string> DigestAsync(Invocation run, string? file, CancellationToken cancellationToken)
    {
        await using var input = run.OpenInput(file);
        return Convert.ToBase64String(await SHA256.HashDataAsync(input, cancellationToken));
    }
}
