using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Cli.Envelope;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary>
/// <c>decrypt EMAIL [FILE]</c>: POST /api/v1/users/{email}/decrypt (owner) for a JWE or raw
/// RSA-OAEP ciphertext; an envelope file (detected by its magic) has its data key unwrapped by the
/// same route and its chunks decrypted here, streaming.
/// </summary>
internal static class DecryptCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var file = Arguments.InputFile("ciphertext (a JWE, base64 RSA-OAEP, or an envelope file)");
        var command = new Command("decrypt", "Decrypt a ciphertext or an envelope file made for an identity, writing the plaintext bytes (owner).") { email, file };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            await using var input = run.OpenInput(run.Get(file));
            var start = new byte[EnvelopeFormat.Magic.Length];
            var read = await EnvelopeFormat.ReadFullAsync(input, start, cancellationToken);
            var client = run.OwnerClient(address);
            if (EnvelopeFormat.StartsWithMagic(start.AsSpan(0, read)))
            {
                if (run.Json)
                {
                    throw CliException.Usage("This is an envelope file: its plaintext is written as bytes, --json does not apply.");
                }

                var header = await EnvelopeFormat.ReadHeaderAfterMagicAsync(input, cancellationToken);
                var unwrapped = await client.DecryptAsync(address, new CiphertextRequest { Ciphertext = header.WrappedKey }, cancellationToken);
                var key = Convert.FromBase64String(unwrapped.PlaintextBase64);
                try
                {
                    if (key.Length is not (16 or 24 or 32))
                    {
                        throw CliException.InvalidInput("The envelope file's wrapped key is not a data key.");
                    }

                    await using var output = run.OpenOutput();
                    using (var progress = ProgressBar.For(run.Console, input, "decrypting"))
                    {
                        await EnvelopeFormat.DecryptAsync(header, input, output.Stream, key, progress, cancellationToken);
                    }

                    await output.CommitAsync(cancellationToken);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(key);
                }

                return ExitCodes.Success;
            }

            // Not an envelope: a ciphertext for one request, read with the same cap as any other input.
            var rest = await Invocation.ReadRestAsync(input, start.AsMemory(0, read), run.Get(file), cancellationToken);
            var ciphertext = Encoding.UTF8.GetString(rest).Trim();
            if (ciphertext.Length == 0)
            {
                throw CliException.InvalidInput("No ciphertext given: pass a file, or pipe it to stdin.");
            }

            var answer = await client.DecryptAsync(address, new CiphertextRequest { Ciphertext = ciphertext }, cancellationToken);
            if (run.Json)
            {
                await run.WriteResultAsync(answer, () => string.Empty, cancellationToken);
            }
            else
            {
                await run.WriteBytesAsync(Convert.FromBase64String(answer.PlaintextBase64), cancellationToken);
            }

            return ExitCodes.Success;
        });
    }
}
