using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using CryptoSecure.Cli.Envelope;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary>
/// <c>encrypt EMAIL [FILE] [--format jwe|rsa-oaep] [--envelope [--chunk-size N]]</c>:
/// POST /api/v1/users/{email}/encrypt, or with --envelope a data key from POST .../datakey and
/// local, streaming AES-256-GCM (<see cref="EnvelopeFormat"/>).
/// </summary>
internal static class EncryptCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var file = Arguments.InputFile("data to encrypt");
        var format = new Option<string?>("--format") { Description = "jwe (default) or rsa-oaep (raw RSA-OAEP-SHA256, small data only)." };
        format.AcceptOnlyFromAmong("jwe", "rsa-oaep");
        var envelope = new Option<bool>("--envelope")
        {
            Description = "Encrypt locally with a fresh data key wrapped by the server (any size, streamed; the result is a binary envelope file that decrypt recognises).",
        };
        var chunkSize = new Option<int>("--chunk-size")
        {
            Description = "With --envelope: plaintext bytes per authenticated chunk.",
            DefaultValueFactory = _ => EnvelopeFormat.DefaultChunkSize,
        };
        var command = new Command("encrypt", "Encrypt data to an identity (public: no API key needed). Prints the ciphertext (a JWE), or writes an envelope file with --envelope.")
        {
            email, file, format, envelope, chunkSize,
        };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            if (run.Get(envelope))
            {
                if (run.Get(format) is not null || run.Json)
                {
                    throw CliException.Usage("--envelope writes a binary envelope file: --format and --json do not apply to it.");
                }

                await EncryptEnvelopeAsync(run, address, run.Get(file), run.Get(chunkSize), cancellationToken);
                return ExitCodes.Success;
            }

            var data = await run.ReadAllInputAsync(run.Get(file), cancellationToken);
            var answer = await run.PublicClient().EncryptAsync(address, new EncryptRequest { PlaintextBase64 = Convert.ToBase64String(data), Format = run.Get(format) }, cancellationToken);
            await run.WriteResultAsync(answer, () => answer.Ciphertext + "\n", cancellationToken);
            return ExitCodes.Success;
        });
    }

    private static async Task EncryptEnvelopeAsync(Invocation run, string address, string? file, int chunkSize, CancellationToken cancellationToken)
    {
        if (chunkSize is < EnvelopeFormat.MinChunkSize or > EnvelopeFormat.MaxChunkSize)
        {
            throw CliException.Usage(string.Create(CultureInfo.InvariantCulture, $"--chunk-size must be between {EnvelopeFormat.MinChunkSize} and {EnvelopeFormat.MaxChunkSize}."));
        }

        await using var input = run.OpenInput(file);
        var dataKey = await run.PublicClient().GenerateDataKeyAsync(address, new DataKeyRequest { Bytes = 32, IncludePlaintext = true }, cancellationToken);
        var key = Convert.FromBase64String(dataKey.PlaintextKeyBase64 ?? throw new CliException(ExitCodes.Server, "The server sent no data key."));
        try
        {
            await using var output = run.OpenOutput();
            using (var progress = ProgressBar.For(run.Console, input, "encrypting"))
            {
                await EnvelopeFormat.EncryptAsync(input, output.Stream, key, dataKey.Ciphertext, chunkSize, progress, cancellationToken);
            }

            await output.CommitAsync(cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
