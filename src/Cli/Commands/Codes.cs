namespace CryptoSecure.Cli.Commands;

/// <summary>A one-time code from a mail: from the command line, else one line of stdin (asked for on a terminal).</summary>
internal static class Codes
{
    public static async Task<string> ReadAsync(Invocation run, string? given, string usage, CancellationToken cancellationToken)
    {
        var code = given;
        if (code is null or "-")
        {
            if (run.Console.InputIsTerminal)
            {
                await run.Console.Error.WriteAsync("Code from the mail: ");
                code = run.Console.ReadLine();
            }
            else
            {
                using var reader = new StreamReader(run.Console.OpenStandardInput(), leaveOpen: true);
                code = await reader.ReadLineAsync(cancellationToken);
            }
        }

        code = code?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            throw CliException.Usage($"No code given: {usage} (or the code on stdin).");
        }

        return code;
    }
}
