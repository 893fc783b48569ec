using System.CommandLine;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>datakey EMAIL [--bytes 16|24|32] [--no-plaintext]</c>: POST /api/v1/users/{email}/datakey (public).</summary>
internal static class DataKeyCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var bytes = new Option<int?>("--bytes") { Description = "Key length in bytes: 16, 24 or 32 (default 32, AES-256)." };
        var noPlaintext = new Option<bool>("--no-plaintext") { Description = "Only the wrapped key (for the owner to open later with decrypt)." };
        var command = new Command("datakey", "Make a fresh data key for envelope encryption: the key (base64) and the same key wrapped as a JWE to the identity.")
        {
            email, bytes, noPlaintext,
        };
        return command.Runs(async (run, cancellationToken) =>
        {
            var answer = await run.PublicClient().GenerateDataKeyAsync(run.Required(email), new DataKeyRequest { Bytes = run.Get(bytes), IncludePlaintext = run.Get(noPlaintext) ? false : null }, cancellationToken);
            await run.WriteResultAsync(answer, () => (answer.PlaintextKeyBase64 is null ? string.Empty : $"Data key (base64): {answer.PlaintextKeyBase64}\n") + $"Wrapped key (JWE): {answer.Ciphertext}\nKey version:       {answer.KeyVersion}\n", cancellationToken);
            return ExitCodes.Success;
        });
    }
}
