using System.CommandLine;
using System.Text;
using CryptoSecure.Cli.Envelope;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary>
/// <c>rewrap EMAIL [FILE]</c>: POST /api/v1/users/{email}/rewrap (owner). For an envelope file only
/// the wrapped data key is rewrapped; the chunks are copied as they are.
/// </summary>
internal static class RewrapCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var file = Arguments.InputFile("ciphertext or envelope file");
        var command = new Command("rewrap", "Re-encrypt a ciphertext (or an envelope file's data key) under the identity's latest key version, without showing the plaintext (owner).")
        {
            email, file,
        };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            var client = run.OwnerClient(address);
            await using var input = run.OpenInput(run.Get(file));
            var start = new byte[EnvelopeFormat.Magic.Length];
            var read = await EnvelopeFormat.ReadFullAsync(input, start, cancellationToken);
            if (EnvelopeFormat.StartsWithMagic(start.AsSpan(0, read)))
            {
                var header = await EnvelopeFormat.ReadHeaderAfterMagicAsync(input, cancellationToken);
                var rewrapped = await client.RewrapAsync(address, new CiphertextRequest { Ciphertext = header.WrappedKey }, cancellationToken);
                await using var output = run.OpenOutput();
                await EnvelopeFormat.WriteHeaderAsync(output.Stream, header, rewrapped.Ciphertext, cancellationToken);
                await input.CopyToAsync(output.Stream, cancellationToken);
                await output.CommitAsync(cancellationToken);
                return ExitCodes.Success;
            }

            // Not an envelope: a ciphertext for one request, read with the same cap as any other input.
            var rest = await Invocation.ReadRestAsync(input, start.AsMemory(0, read), run.Get(file), cancellationToken);
            var ciphertext = Encoding.UTF8.GetString(rest).Trim();
            var answer = await client.RewrapAsync(address, new CiphertextRequest { Ciphertext = ciphertext }, cancellationToken);
            await run.WriteResultAsync(answer, () => answer.Ciphertext + "\n", cancellationToken);
            return ExitCodes.Success;
        });
    }
}
