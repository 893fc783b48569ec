namespace CryptoSecure.Cli;

/// <summary>
/// Parse errors as printed: System.CommandLine quotes the tokens it did not recognise, and a token
/// after a mistyped option (<c>--apikey csk_...</c>, <c>--api-kye=csk_...</c>) is usually a key.
/// Such tokens are replaced before anything reaches stderr: every token that looks like an API key
/// (contains <c>csk_</c>), every token that follows an option, and the value part of an
/// <c>--option=value</c> or <c>--option:value</c> token. Command and option names stay readable.
/// </summary>
internal static class UsageErrors
{
    public const string Hidden = "(value not shown)";

    public static string Redact(string message, IReadOnlyList<string> args)
    {
        var replacements = new List<(string Token, string Shown)>();
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            if (token.Length == 0)
            {
                continue;
            }

            if (token.StartsWith('-') && token.IndexOfAny(['=', ':']) is var separator and > 0)
            {
                replacements.Add((token, token[..(separator + 1)] + Hidden));
            }
            else if (LooksLikeKey(token) || (i > 0 && args[i - 1].Length > 1 && args[i - 1].StartsWith('-') && !token.StartsWith('-')))
            {
                replacements.Add((token, Hidden));
            }
        }

        // Longest first, so that a token inside another is not replaced piecemeal.
        foreach (var (token, shown) in replacements.OrderByDescending(r => r.Token.Length))
        {
            message = message.Replace("'" + token + "'", "'" + shown + "'", StringComparison.Ordinal);
            if (token.Length >= 8 || LooksLikeKey(token))
            {
                // However the message quotes it (or does not).
                message = message.Replace(token, shown, StringComparison.Ordinal);
            }
        }

        return message;
    }

    /// <summary>An option-like token as it may be shown: its name, without an attached value.</summary>
    public static string OptionName(string token) =>
        token.IndexOfAny(['=', ':']) is var separator and > 0 ? token[..(separator + 1)] + Hidden : token;

    private static bool LooksLikeKey(string token) => token.Contains("csk_", StringComparison.OrdinalIgnoreCase);
}
