using System.CommandLine;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary>
/// <c>verify EMAIL [FILE]</c> (FILE or stdin is a JWS) or <c>verify EMAIL [FILE] --signature SIG</c>
/// (FILE or stdin is the data a raw signature covers): POST /api/v1/users/{email}/verify (public).
/// Exit 0 when it verifies, 1 when it does not.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var file = Arguments.InputFile("JWS, or with --signature the data signed");
        var signature = new Option<string?>("--signature") { Description = "A raw signature (base64); FILE or stdin is then the data it covers." };
        var signatureFile = new Option<string?>("--signature-file") { Description = "Read the raw signature from this file." };
        var algorithm = SignCommand.Algorithm();
        var digest = new Option<bool>("--digest") { Description = "With a raw signature: send only the SHA-256 of the data, computed here." };
        var command = new Command("verify", "Check a signature made by an identity (public). Exit status 0 when it verifies, 1 when it does not.")
        {
            email, file, signature, signatureFile, algorithm, digest,
        };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            if (run.Get(signature) is not null && run.Get(signatureFile) is not null)
            {
                throw CliException.Usage("Give --signature or --signature-file, not both.");
            }

            var raw = run.Get(signature) ?? (run.Get(signatureFile) is { } path ? await run.ReadTextInputAsync(path, "signature", cancellationToken) : null);
            VerifyRequest request;
            if (raw is null)
            {
                if (run.Get(digest) || run.Get(algorithm) is not null)
                {
                    throw CliException.Usage("--digest and --algorithm are for raw signatures: give the signature with --signature or --signature-file.");
                }

                request = new VerifyRequest { Signature = await run.ReadTextInputAsync(run.Get(file), "JWS", cancellationToken) };
            }
            else
            {
                request = new VerifyRequest { Signature = raw.Trim(), Algorithm = run.Get(algorithm) };
                if (run.Get(digest))
                {
                    request.DigestBase64 = await SignCommand.DigestAsync(run, run.Get(file), cancellationToken);
                }
                else
                {
                    request.PayloadBase64 = Convert.ToBase64String(await run.ReadAllInputAsync(run.Get(file), cancellationToken));
                }
            }

            var answer = await run.PublicClient().VerifyAsync(address, request, cancellationToken);
            await run.WriteResultAsync(answer, () => answer.Valid ? $"Valid: signed by {address} (key version {answer.KeyVersion}).\n" : $"NOT valid: no signing key of {address} verifies it.\n", cancellationToken);
            return answer.Valid ? ExitCodes.Success : ExitCodes.Negative;
        });
    }
}
