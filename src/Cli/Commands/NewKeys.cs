namespace CryptoSecure.Cli.Commands;

/// <summary>A new API key from recover or api-key rotate: printed once, or saved with --save.</summary>
internal static class NewKeys
{
    public static async Task WriteAsync(Invocation run, string email, string apiKey, bool save, string what, CancellationToken cancellationToken)
    {
        var keyLine = RegisterCommand.KeyLine(run, save, email, apiKey, "use --save next time");
        var answer = new NewKeyAnswer(email, keyLine.Saved ? null : apiKey, keyLine.Saved ? run.Credentials.FilePath : null);
        await run.WriteResultAsync(answer, () => $"""
            {what + ":",-13} {email}
            {keyLine.Text}
            The previous API key no longer works.

            """, cancellationToken);
    }

    /// <summary>The answer with --json: the key only when it was not saved.</summary>
    internal sealed record NewKeyAnswer(string Email, string? ApiKey, string? SavedIn)
    {
        // A record prints its members: never the key.
        public override string ToString() => $"{Email} (key hidden)";
    }
}
